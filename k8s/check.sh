#!/usr/bin/env bash
# Static checks of k8s/, offline (no cluster): each overlay renders (kubectl kustomize), every object of the rendered
# manifests passes its kind's schema, and the YAML is clean. Run by .ci/run beside observability/check.sh.
#   schema: Kubernetes' and KEDA's JSON schemas (the npm packages pinned in k8s/schema/package-lock.json) and the
#   Strimzi CRDs' schemas, generated here by Strimzi's CRD generator from Strimzi's API model (Maven Central,
#   k8s/schema/strimzi/pom.xml); unknown fields through the typed models (k8s/schema/strimzi/StrictCheck.java).
#   What is and is not covered: docs/operations.md, "Validation".
# Needs kubectl (with its built-in kustomize), node and npm, java and mvn, yamllint.
# The drift test (KubernetesManifestsTests in voxline-local) runs with the Maven tests.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

work="$(mktemp -d)"
# a kustomization with every optional component, so the components are rendered and checked too; it must live
# under k8s/ (kustomize reads no files above its root)
everything="k8s/.check-everything"
trap 'rm -rf "$work" "$everything"' EXIT

step() { echo "--- $*"; }

step "kubectl kustomize"
# the overlays use kustomize v5's fields (labels, components, inline patches with targets): an older kubectl's
# kustomize (Debian's kubernetes-client is 1.20, kustomize v2) cannot render them
kustomize_version="$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v//p' || true)"
if [ -z "$kustomize_version" ] || [ "${kustomize_version%%.*}" -lt 5 ]; then
  echo "kubectl with kustomize v5 or later not found (kubectl: $(command -v kubectl || echo none)," \
    "kustomize: ${kustomize_version:-none}): the k8s checks are SKIPPED, and so is the drift test"
  exit 0
fi
echo "kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p'), kustomize v$kustomize_version"
mkdir -p "$everything"
cat >"$everything/kustomization.yaml" <<'EOF'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../overlays/prod]
components: [../components/kafka-auth, ../components/llm-provider-egress]
EOF
rendered=()
for overlay in k8s/overlays/dev k8s/overlays/prod "$everything"; do
  name="$(basename "$overlay")"
  [ "$overlay" = "$everything" ] && name="prod+components"
  out="$work/$name.yaml"
  kubectl kustomize "$overlay" >"$out"
  objects=$(grep -c '^kind:' "$out" || true)
  printf '%-22s %7d bytes, %3d objects\n' "$name" "$(wc -c <"$out")" "$objects"
  rendered+=("$out")
done

step "schema: tools"
(cd k8s/schema && npm ci --no-audit --no-fund --loglevel=error </dev/null >/dev/null)
echo "npm packages: $(node -p "Object.entries(require('./k8s/schema/package.json').dependencies)
  .map(([name, version]) => name + '@' + version).join(' ')")"
strimzi_lib="k8s/schema/strimzi/target/lib"
if ! ls "$strimzi_lib"/api-*.jar >/dev/null 2>&1; then
  mvn -B -q -f k8s/schema/strimzi/pom.xml dependency:copy-dependencies </dev/null
fi
echo "Strimzi: $(cd "$strimzi_lib" && ls api-*.jar crd-generator-*.jar | tr '\n' ' ')"
mkdir -p "$work/crds"
java -cp "$strimzi_lib/*" io.strimzi.crdgenerator.CrdGenerator --crd-api-version v1 --api-versions v1beta2 \
  --storage-version v1beta2 --yaml \
  "io.strimzi.api.kafka.model.kafka.Kafka=$work/crds/kafka.yaml" \
  "io.strimzi.api.kafka.model.nodepool.KafkaNodePool=$work/crds/kafkanodepool.yaml" \
  "io.strimzi.api.kafka.model.topic.KafkaTopic=$work/crds/kafkatopic.yaml" \
  "io.strimzi.api.kafka.model.user.KafkaUser=$work/crds/kafkauser.yaml" 2>"$work/crd-generator.log" \
  || { cat "$work/crd-generator.log" >&2; exit 1; }
echo "CRDs generated: $(cd "$work/crds" && ls | tr '\n' ' ')"

step "schema: JSON schemas (Kubernetes, KEDA, Strimzi)"
# each check runs even when one before it failed, so one run shows every problem
failed=0
node k8s/schema/validate.mjs --crds "$work/crds" "${rendered[@]}" || failed=1

step "schema: unknown fields (Kubernetes and Strimzi models)"
# (stderr: SLF4J's notice that it has no logger; shown only when the check itself fails)
java -cp "$strimzi_lib/*" k8s/schema/strimzi/StrictCheck.java "${rendered[@]}" 2>"$work/strict.log" \
  || { grep -v '^SLF4J' "$work/strict.log" >&2 || true; failed=1; }

step "YAML style"
mapfile -t yaml_files < <(find k8s -name node_modules -prune -o -name target -prune -o \
  \( -name '*.yml' -o -name '*.yaml' \) -print | sort)
yamllint -s -c .yamllint.yml "${yaml_files[@]}" || failed=1
echo "${#yaml_files[@]} files"

if [ "$failed" -ne 0 ]; then
  echo "--- k8s checks FAILED (above)"
  exit 1
fi
echo "--- all k8s checks passed"

// The JSON-schema half of the schema check (k8s/check.sh): every object of the rendered manifests against the schema
// of its kind, and a kind without one is an error.
//   - built-in kinds: the Kubernetes OpenAPI schemas compiled into the kubernetes-models package;
//   - KEDA's ScaledObject: the CRD schema in @kubernetes-models/keda;
//   - Strimzi's kinds: the openAPIV3Schema of the CRDs that Strimzi's generator made from its API model (the
//     directory given with --crds), made strict as the API server makes a structural schema: an object lists its
//     fields, and any other is an error unless the schema preserves unknown fields.
// The compiled Kubernetes and KEDA validators check types, required fields, enums and formats, not unknown fields:
// StrictCheck.java does that for the built-in and Strimzi kinds.
// Usage: node validate.mjs --crds DIR FILE...
import Ajv from "ajv";
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const crdIndex = args.indexOf("--crds");
if (crdIndex < 0 || args.length < crdIndex + 3) {
  console.error("usage: node validate.mjs --crds DIR FILE...");
  process.exit(2);
}
const crdDir = args[crdIndex + 1];
const files = args.filter((_, i) => i !== crdIndex && i !== crdIndex + 1);

/** Adds additionalProperties: false wherever an object schema names its properties and keeps no others. */
function strict(schema) {
  if (Array.isArray(schema)) {
    schema.forEach(strict);
  } else if (schema && typeof schema === "object") {
    if (schema.type === "object" && schema.properties && schema.additionalProperties === undefined
        && schema["x-kubernetes-preserve-unknown-fields"] !== true) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(strict);
  }
  return schema;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const crdValidators = new Map();
for (const file of fs.readdirSync(crdDir).filter((name) => name.endsWith(".yaml")).sort()) {
  for (const doc of parseAllDocuments(fs.readFileSync(path.join(crdDir, file), "utf8"))) {
    const crd = doc.toJS();
    if (crd?.kind !== "CustomResourceDefinition") {
      continue;
    }
    for (const version of crd.spec.versions) {
      const schema = strict(structuredClone(version.schema.openAPIV3Schema));
      crdValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
}
if (crdValidators.size === 0) {
  console.error(`no CustomResourceDefinition in ${crdDir}`);
  process.exit(2);
}

/** The model class of a built-in or KEDA kind, or null. */
async function model(apiVersion, kind) {
  const module = apiVersion.startsWith("keda.sh/")
    ? `@kubernetes-models/keda/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  try {
    return (await import(module))[kind] ?? null;
  } catch {
    return null;
  }
}

const counts = new Map();
const problems = [];
for (const file of files) {
  for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      problems.push(`${file}: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (!object) {
      continue;
    }
    const type = `${object.apiVersion}/${object.kind}`;
    const where = `${file}: ${type} ${object.metadata?.name}`;
    const crd = crdValidators.get(type);
    let errors = null;
    if (crd) {
      if (!crd(object)) {
        errors = crd.errors.map((e) => `${e.instancePath || "."} ${e.message}`
          + (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""));
      }
    } else {
      const Model = await model(object.apiVersion, object.kind);
      if (!Model) {
        problems.push(`${where}: no schema for this kind`);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (e) {
        errors = [e.message];
      }
    }
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (errors) {
      problems.push(...errors.map((error) => `${where}: ${error}`));
    }
  }
}
for (const [type, count] of [...counts].sort()) {
  console.log(`schema: ${String(count).padStart(3)} × ${type}`);
}
problems.forEach((problem) => console.log(`schema: ${problem}`));
const total = [...counts.values()].reduce((a, b) => a + b, 0);
console.log(`schema: ${total} objects checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);

#!/usr/bin/env bash
# Static checks of docker-compose.yml and observability/: compose syntax, Prometheus config, alert rules and their
# unit tests, Alertmanager config, YAML style, dashboard JSON and the metric names every query uses.
# Needs docker-compose (or docker compose), promtool, yamllint, python3; amtool is used when installed.
# No Docker engine, network or build is needed: `config` does not build images, so no jar has to exist.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { echo "--- $*"; }

step "docker-compose.yml"
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q
else
  docker compose config -q
fi

step "Prometheus configuration"
promtool check config observability/prometheus/prometheus.yml

step "alert rules"
promtool check rules observability/prometheus/rules/voxline-alerts.yml

step "alert rule unit tests"
(cd observability/prometheus/rules && promtool test rules voxline-alerts.test.yml)

step "Alertmanager configuration"
if command -v amtool >/dev/null 2>&1; then
  amtool check-config observability/alertmanager/alertmanager.yml
else
  echo "amtool not installed: skipped (Debian: prometheus-alertmanager)"
fi

step "YAML style"
mapfile -t yaml_files < <(find docker-compose.yml .yamllint.yml observability -name '*.yml' -o -name '*.yaml' | sort)
yamllint -s -c .yamllint.yml "${yaml_files[@]}"
echo "${#yaml_files[@]} files"

step "dashboards: JSON"
dashboards=(observability/grafana/dashboards/*.json)
for dashboard in "${dashboards[@]}"; do
  python3 -m json.tool "$dashboard" >/dev/null
done
echo "${#dashboards[@]} dashboard(s)"

step "dashboards and rules: metric names, PromQL syntax"
python3 observability/check-queries.py observability/known-metrics.txt "$work/dashboard-queries.yml" \
  "${dashboards[@]}" -- observability/prometheus/rules/voxline-alerts.yml
promtool check rules "$work/dashboard-queries.yml" >/dev/null
echo "every dashboard query parses"

step "service health check script"
bash -n observability/docker/healthcheck.sh

echo "--- all observability checks passed"

#!/usr/bin/env python3
"""Checks the Grafana dashboards and the Prometheus alert rules against the metrics Voxline exports.

  check-queries.py KNOWN_METRICS RULES_OUT DASHBOARD.json... -- RULES.yml...

Every dashboard must be valid JSON with a unique uid, every panel must have a title and a description, and every
Prometheus query must name only metrics from KNOWN_METRICS (histograms with _bucket/_sum/_count) and a data source
uid the provisioning declares. The dashboards' queries are written to RULES_OUT as recording rules, with Grafana's
interval variables replaced, so that `promtool check rules RULES_OUT` parses their PromQL.
"""
import json
import re
import sys

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
DATASOURCE_UIDS = {"voxline-prometheus", "voxline-jaeger", "voxline-alertmanager"}
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h"}


def known_metrics(path):
    names = set()
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(line)
    return names


def metric_names(expr):
    """The metric names an expression selects: identifiers that are not functions, keywords, labels or durations."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)               # string literals
    text = re.sub(r"\{[^}]*\}", "", text)                          # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                         # range selectors and subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)  # label lists
    text = re.sub(r"\$\w+", "", text)                              # Grafana variables
    names = []
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = match.group(0)
        rest = text[match.end():].lstrip()
        if rest.startswith("(") or word.lower() in KEYWORDS:
            continue
        if match.start() > 0 and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue                                               # 5m, 1e3, 0.95
        names.append(word)
    return names


def unknown(names, known):
    bad = []
    for name in names:
        base = name
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in known:
                base = name[: -len(suffix)]
        if base not in known:
            bad.append(name)
    return bad


def panels_of(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def main(argv):
    if "--" not in argv or len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    known = known_metrics(argv[1])
    rules_out = argv[2]
    dashboards, rule_files = argv[3:split], argv[split + 1:]
    errors = []
    recording = []
    uids = {}
    queries = 0
    for path in dashboards:
        try:
            dashboard = json.load(open(path, encoding="utf-8"))
        except ValueError as e:
            errors.append(f"{path}: not valid JSON: {e}")
            continue
        uid = dashboard.get("uid")
        if not uid or uid in uids:
            errors.append(f"{path}: missing or duplicate dashboard uid {uid!r}")
        uids[uid] = path
        for panel in panels_of(dashboard):
            if panel.get("type") == "row":
                continue
            where = f"{path}: panel {panel.get('title')!r}"
            if not panel.get("title") or not panel.get("description"):
                errors.append(f"{where}: needs a title and a description")
            targets = panel.get("targets", [])
            if not targets:
                errors.append(f"{where}: has no query")
            for target in targets:
                datasource = target.get("datasource") or panel.get("datasource") or {}
                if datasource.get("uid") not in DATASOURCE_UIDS:
                    errors.append(f"{where}: unknown data source {datasource!r}")
                if datasource.get("type") != "prometheus":
                    continue
                expr = target.get("expr", "")
                if not expr.strip():
                    errors.append(f"{where}: query {target.get('refId')} has no expr")
                    continue
                queries += 1
                for name in unknown(metric_names(expr), known):
                    errors.append(f"{where}: unknown metric {name!r} in {expr}")
                for variable, value in GRAFANA_VARIABLES.items():
                    expr = expr.replace(variable, value)
                recording.append(f"dashboard:query_{len(recording) + 1}:check")
                recording.append(expr)
    rules = 0
    for path in rule_files:
        # the rules are plain `expr: ...` lines (no PyYAML needed); promtool checks the file itself
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            match = re.match(r"\s*expr:\s*(.+?)\s*$", line)
            if match:
                rules += 1
                for name in unknown(metric_names(match.group(1)), known):
                    errors.append(f"{path}:{number}: unknown metric {name!r}")
    with open(rules_out, "w", encoding="utf-8") as out:
        out.write("groups:\n  - name: dashboard-queries\n    rules:\n")
        for record, expr in zip(recording[::2], recording[1::2]):
            out.write(f"      - record: {record}\n        expr: {json.dumps(expr)}\n")
    for error in errors:
        print(error, file=sys.stderr)
    print(f"{len(dashboards)} dashboard(s), {queries} Prometheus queries, {rules} rule expressions: "
          + ("FAILED" if errors else "every metric known"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

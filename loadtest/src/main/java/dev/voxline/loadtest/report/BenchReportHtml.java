package dev.voxline.loadtest.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link BenchReport.Document} as one self-contained HTML page: the settings, results and a summary table of
 * every sample set, the report's own tables, then per sample set a histogram and a percentile plot, and a line chart
 * per curve (inline SVG, no script, no external file).
 */
final class BenchReportHtml {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222;max-width:1200px}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:.5em 0 1em}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right;font-variant-numeric:tabular-nums}
            th{background:#f4f4f4}td.l,th.l{text-align:left}
            .charts{display:flex;flex-wrap:wrap;gap:1em}.chart{margin:0}
            .chart svg,.chart img{max-width:100%;height:auto}
            figcaption{font-size:.85em;color:#555}
            .missing{color:#a00}.meta{color:#555}
            """;

    private BenchReportHtml() {
    }

    static String render(BenchReport.Document doc) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc("Voxline bench " + doc.benchmark() + ": " + doc.title())).append("</title>\n<style>")
                .append(STYLE).append("</style></head><body>\n");
        html.append("<h1>Voxline bench ").append(esc(doc.benchmark())).append(": ").append(esc(doc.title()))
                .append("</h1>\n");
        html.append("<p class=\"meta\">started ").append(esc(doc.startedAt()));
        if (doc.finishedAt() != null) {
            html.append(", finished ").append(esc(doc.finishedAt()));
        }
        html.append("</p>\n");
        BenchReport.Machine m = doc.machine();
        if (m != null) {
            html.append("<p class=\"meta\">machine: ").append(esc(m.cores() + " cores"))
                    .append(m.cpu() != null ? ", " + esc(m.cpu()) : "")
                    .append(m.memoryMb() != null ? ", " + m.memoryMb() + " MB RAM" : "")
                    .append(", ").append(esc(m.os())).append(", ").append(esc(m.jvm()))
                    .append(m.host() != null ? ", host " + esc(m.host()) : "").append("</p>\n");
        }
        keyValues(html, "Results", doc.results());
        keyValues(html, "Settings", doc.settings());
        if (!doc.samples().isEmpty()) {
            html.append("<h2>Summary</h2>\n<table><tr><th class=\"l\">group</th><th class=\"l\">metric</th>")
                    .append("<th class=\"l\">unit</th><th>n</th><th>p50</th><th>p95</th><th>p99</th><th>mean</th>")
                    .append("<th>min</th><th>max</th></tr>\n");
            for (BenchReport.SampleSet s : doc.samples()) {
                html.append("<tr><td class=\"l\">").append(esc(s.group())).append("</td><td class=\"l\">")
                        .append(esc(s.metric())).append("</td><td class=\"l\">").append(esc(s.unit()))
                        .append("</td><td>").append(s.n()).append("</td>");
                for (Double v : List.of(nan(s.p50()), nan(s.p95()), nan(s.p99()), nan(s.mean()), nan(s.min()),
                        nan(s.max()))) {
                    html.append("<td>").append(number(v)).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }
        for (BenchReport.Table table : doc.tables()) {
            html.append("<h2>").append(esc(table.title())).append("</h2>\n<table><tr>");
            for (String column : table.columns()) {
                html.append("<th>").append(esc(column)).append("</th>");
            }
            html.append("</tr>\n");
            for (List<String> row : table.rows()) {
                html.append("<tr>");
                for (int i = 0; i < row.size(); i++) {
                    html.append(i == 0 ? "<td class=\"l\">" : "<td>").append(esc(row.get(i))).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }
        if (!doc.curves().isEmpty()) {
            html.append("<h2>Curves</h2>\n<div class=\"charts\">\n");
            for (BenchReport.Curve curve : doc.curves()) {
                html.append(ReportCharts.lineChart(curve)).append('\n');
            }
            html.append("</div>\n");
        }
        for (BenchReport.SampleSet s : doc.samples()) {
            html.append("<h2>").append(esc(s.label())).append(" (").append(esc(s.unit())).append(")</h2>\n");
            if (s.n() == 0) {
                html.append("<p>no samples</p>\n");
                continue;
            }
            html.append("<div class=\"charts\">\n").append(ReportCharts.histogram(s)).append('\n')
                    .append(ReportCharts.percentilePlot(s)).append("\n</div>\n");
        }
        if (!doc.notes().isEmpty()) {
            html.append("<h2>Notes</h2>\n<ul>\n");
            for (String note : doc.notes()) {
                html.append("<li>").append(esc(note)).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void keyValues(StringBuilder html, String title, Map<String, Object> values) {
        if (values.isEmpty()) {
            return;
        }
        html.append("<h2>").append(esc(title)).append("</h2>\n<table>\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            html.append("<tr><th class=\"l\">").append(esc(e.getKey())).append("</th><td class=\"l\">")
                    .append(esc(value(e.getValue()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String value(Object value) {
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Float f) {
            return number(f.doubleValue());
        }
        return String.valueOf(value);
    }

    private static Double nan(Double value) {
        return value != null ? value : Double.NaN;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return Math.abs(value) < 10 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

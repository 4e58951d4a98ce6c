package dev.voxline.loadtest.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The result of one benchmark run, shared by every benchmark command: settings, headline results, sample sets
 * (latencies per group and metric, with their percentiles), curves (x → y series, e.g. sessions → p99 transport),
 * tables and notes. Written as a JSON file (the numbers, raw samples included, so anyone can recompute) and as one
 * self-contained HTML file (tables plus a histogram and a percentile plot per sample set and a line chart per curve,
 * inline SVG drawn by XChart).
 *
 * <pre>{@code
 * BenchReport report = BenchReport.create("load", "20 sessions for 60 s, zero timings")
 *         .setting("sessions", 20)
 *         .samples("client", "e2e", e2eMillis)                 // unit ms
 *         .samples("server", "transport", transportMillis)
 *         .curve(new BenchReport.Curve("p99 latency", "sessions", "ms", List.of(
 *                 new BenchReport.Series("p99 transport", sessions, p99Transport))))
 *         .result("largest good N", 250);
 * BenchReport.Written files = report.write(BenchReport.DEFAULT_DIRECTORY);  // bench-results/load-20261125-204500.*
 * }</pre>
 *
 * Thread-safe (a running benchmark may add while a progress line reads).
 */
public final class BenchReport {

    /** Where the benchmark commands write their reports unless told otherwise (git-ignored). */
    public static final Path DEFAULT_DIRECTORY = Path.of("bench-results");

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final String benchmark;
    private final String title;
    private final Instant startedAt;
    private final Machine machine;
    private Instant finishedAt;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<SampleSet> samples = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private BenchReport(String benchmark, String title, Instant startedAt, Machine machine) {
        this.benchmark = requireName(benchmark, "benchmark");
        this.title = Objects.requireNonNull(title, "title");
        this.startedAt = Objects.requireNonNull(startedAt);
        this.machine = machine;
    }

    /**
     * A report for one run of {@code benchmark} (a short name used in file names: "load", "capacity",
     * "overhead" …), started now on this machine.
     */
    public static BenchReport create(String benchmark, String title) {
        return new BenchReport(benchmark, title, Instant.now(), Machine.current());
    }

    /** For tests and replays: a fixed start instant and machine. */
    public static BenchReport create(String benchmark, String title, Instant startedAt, Machine machine) {
        return new BenchReport(benchmark, title, startedAt, machine);
    }

    /** A run parameter (sessions, timings, url, command line …); a later call with the same name replaces it. */
    public synchronized BenchReport setting(String name, Object value) {
        settings.put(requireName(name, "setting"), value);
        return this;
    }

    /** A headline figure or verdict (ratio, largest N held, "held": true …); same name replaces. */
    public synchronized BenchReport result(String name, Object value) {
        results.put(requireName(name, "result"), value);
        return this;
    }

    /** Latency samples in milliseconds; nulls are left out. */
    public BenchReport samples(String group, String metric, Collection<Double> millis) {
        return samples(group, metric, "ms", millis);
    }

    /** A sample set ({@code group} e.g. "client", "server", "stage"; {@code metric} e.g. "e2e", "transport"). */
    public synchronized BenchReport samples(String group, String metric, String unit, Collection<Double> values) {
        samples.add(SampleSet.of(group, metric, unit, values));
        return this;
    }

    public synchronized BenchReport curve(Curve curve) {
        curves.add(Objects.requireNonNull(curve));
        return this;
    }

    /** A table as printed (e.g. the console summary, the capacity steps); cells are text. */
    public synchronized BenchReport table(Table table) {
        tables.add(Objects.requireNonNull(table));
        return this;
    }

    public synchronized BenchReport note(String text) {
        notes.add(Objects.requireNonNull(text));
        return this;
    }

    /** Marks the run finished now (otherwise the first write does). */
    public synchronized BenchReport finished() {
        finishedAt = Instant.now();
        return this;
    }

    public synchronized BenchReport finishedAt(Instant instant) {
        finishedAt = instant;
        return this;
    }

    public String benchmark() {
        return benchmark;
    }

    /** A snapshot of everything so far, as it goes into the JSON file. */
    public synchronized Document document() {
        return new Document(benchmark, title, startedAt.toString(), finishedAt != null ? finishedAt.toString() : null,
                machine, new LinkedHashMap<>(settings), new LinkedHashMap<>(results), List.copyOf(samples),
                List.copyOf(curves), List.copyOf(tables), List.copyOf(notes));
    }

    public String toJson() {
        return MAPPER.writeValueAsString(document());
    }

    public String toHtml() {
        return BenchReportHtml.render(document());
    }

    /** Writes {@code <benchmark>-<UTC start stamp>.json} and {@code .html} into {@code directory} (created). */
    public Written write(Path directory) {
        String base = benchmark + "-" + FILE_STAMP.format(startedAt);
        return new Written(writeJson(directory.resolve(base + ".json")), writeHtml(directory.resolve(base + ".html")));
    }

    public Path writeJson(Path file) {
        markFinished();
        return writeText(file, toJson());
    }

    public Path writeHtml(Path file) {
        markFinished();
        return writeText(file, toHtml());
    }

    /** Reads a report's JSON file back (settings and results come back as plain JSON values). */
    public static Document readJson(Path file) {
        try {
            return MAPPER.readValue(Files.readAllBytes(file), Document.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Document parseJson(String json) {
        return MAPPER.readValue(json, Document.class);
    }

    private synchronized void markFinished() {
        if (finishedAt == null) {
            finishedAt = Instant.now();
        }
    }

    private static Path writeText(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be blank");
        }
        return name;
    }

    // ---- the document

    /** The two files {@link #write} wrote. */
    public record Written(Path json, Path html) {
    }

    /** Everything a report holds; this is the JSON file's shape. Times are ISO-8601 UTC instants. */
    public record Document(String benchmark, String title, String startedAt, String finishedAt, Machine machine,
                           Map<String, Object> settings, Map<String, Object> results, List<SampleSet> samples,
                           List<Curve> curves, List<Table> tables, List<String> notes) {

        public Document {
            settings = settings != null ? settings : Map.of();
            results = results != null ? results : Map.of();
            samples = samples != null ? samples : List.of();
            curves = curves != null ? curves : List.of();
            tables = tables != null ? tables : List.of();
            notes = notes != null ? notes : List.of();
        }

        /** The sample set of {@code group}/{@code metric}, or null. */
        public SampleSet sampleSet(String group, String metric) {
            return samples.stream().filter(s -> s.group().equals(group) && s.metric().equals(metric)).findFirst()
                    .orElse(null);
        }

        public Curve curve(String name) {
            return curves.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        }
    }

    /** Where the run ran: host, logical cores, CPU model, OS, the JVM, total memory (MB). */
    public record Machine(String host, int cores, String cpu, String os, String jvm, Long memoryMb) {

        public static Machine current() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = null;
            }
            return new Machine(host, Runtime.getRuntime().availableProcessors(), cpuModel(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), totalMemoryMb());
        }

        private static String cpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no model
            }
            return null;
        }

        private static Long totalMemoryMb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return null;
        }
    }

    /**
     * A sample set with its statistics (null when empty) and its values in the order they were measured.
     */
    public record SampleSet(String group, String metric, String unit, int n, Double mean, Double p50, Double p95,
                            Double p99, Double min, Double max, List<Double> values) {

        public SampleSet {
            values = values != null ? values : List.of();
        }

        public static SampleSet of(String group, String metric, String unit, Collection<Double> values) {
            List<Double> kept = new ArrayList<>();
            for (Double value : values) {
                if (value != null && !value.isNaN()) {
                    kept.add(value);
                }
            }
            Percentiles.Summary s = Percentiles.summarize(kept);
            return new SampleSet(requireName(group, "group"), requireName(metric, "metric"), unit, s.count(),
                    orNull(s.mean()), orNull(s.p50()), orNull(s.p95()), orNull(s.p99()), orNull(s.min()),
                    orNull(s.max()), List.copyOf(kept));
        }

        public String label() {
            return group + " " + metric;
        }

        private static Double orNull(double value) {
            return Double.isNaN(value) ? null : value;
        }
    }

    /** A line chart: series of (x, y) points sharing an x and a y axis. */
    public record Curve(String name, String xLabel, String yLabel, List<Series> series) {

        public Curve {
            requireName(name, "curve");
            series = List.copyOf(series);
        }
    }

    /** One line of a curve; {@code x} and {@code y} have the same length (a null y is a point not measured). */
    public record Series(String name, List<Double> x, List<Double> y) {

        public Series {
            requireName(name, "series");
            if (x.size() != y.size()) {
                throw new IllegalArgumentException("series " + name + ": " + x.size() + " x values but " + y.size()
                        + " y values");
            }
            x = List.copyOf(x);
            y = java.util.Collections.unmodifiableList(new ArrayList<>(y));
        }
    }

    /** A table of text cells; every row has as many cells as there are columns. */
    public record Table(String title, List<String> columns, List<List<String>> rows) {

        public Table {
            columns = List.copyOf(columns);
            List<List<String>> copied = new ArrayList<>();
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("table " + title + ": a row has " + row.size()
                            + " cells for " + columns.size() + " columns");
                }
                copied.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
            }
            rows = List.copyOf(copied);
        }

        /** The table as aligned console text: the columns, then one line per row (first column left-aligned). */
        public String text() {
            List<List<String>> lines = new ArrayList<>();
            lines.add(columns);
            lines.addAll(rows);
            int[] widths = new int[columns.size()];
            for (List<String> line : lines) {
                for (int i = 0; i < line.size(); i++) {
                    widths[i] = Math.max(widths[i], line.get(i).length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (List<String> line : lines) {
                for (int i = 0; i < line.size(); i++) {
                    String format = i == 0 ? "%-" + widths[i] + "s" : "  %" + widths[i] + "s";
                    out.append(String.format(Locale.ROOT, format, line.get(i)));
                }
                out.append('\n');
            }
            return out.toString();
        }
    }
}

package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTests {

    private static final Instant START = Instant.parse("2026-11-25T20:45:00Z");

    private static BenchReport sample() {
        List<Double> e2e = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            e2e.add((double) i); // p50 50.5, p95 95.05, p99 99.01
        }
        return BenchReport.create("load", "3 sessions <zero> & friends", START,
                        new BenchReport.Machine("box", 2, "Test CPU", "Linux", "Java 17", 4096L))
                .setting("sessions", 3)
                .setting("timings", "zero")
                .result("held", true)
                .samples("client", "e2e", e2e)
                .samples("server", "transport", Arrays.asList(1.0, null, 3.0, 2.0))
                .curve(new BenchReport.Curve("p99 latency by sessions", "sessions", "ms", List.of(
                        new BenchReport.Series("p99 transport", List.of(10.0, 25.0, 50.0), List.of(2.0, 4.0, 9.5)),
                        new BenchReport.Series("p99 client e2e", List.of(10.0, 25.0, 50.0),
                                Arrays.asList(40.0, null, 80.0)))))
                .table(new BenchReport.Table("Steps", List.of("sessions", "verdict"),
                        List.of(List.of("10", "good"), List.of("25", "good"))))
                .note("a short run");
    }

    @Test
    void jsonParsesBackWithTheNumbers(@TempDir Path dir) {
        BenchReport.Written written = sample().write(dir);

        assertThat(written.json().getFileName().toString()).isEqualTo("load-20261125-204500.json");
        BenchReport.Document doc = BenchReport.readJson(written.json());
        assertThat(doc.benchmark()).isEqualTo("load");
        assertThat(doc.startedAt()).isEqualTo("2026-11-25T20:45:00Z");
        assertThat(doc.finishedAt()).isNotNull();
        assertThat(doc.machine().cores()).isEqualTo(2);
        assertThat(doc.settings()).containsEntry("sessions", 3).containsEntry("timings", "zero");
        assertThat(doc.results()).containsEntry("held", true);

        BenchReport.SampleSet e2e = doc.sampleSet("client", "e2e");
        assertThat(e2e.n()).isEqualTo(100);
        assertThat(e2e.unit()).isEqualTo("ms");
        assertThat(e2e.p50()).isCloseTo(50.5, within(1e-9));
        assertThat(e2e.p95()).isCloseTo(95.05, within(1e-9));
        assertThat(e2e.p99()).isCloseTo(99.01, within(1e-9));
        assertThat(e2e.mean()).isCloseTo(50.5, within(1e-9));
        assertThat(e2e.min()).isEqualTo(1.0);
        assertThat(e2e.max()).isEqualTo(100.0);
        assertThat(e2e.values()).hasSize(100).startsWith(1.0, 2.0);

        BenchReport.SampleSet transport = doc.sampleSet("server", "transport");
        assertThat(transport.n()).isEqualTo(3);
        assertThat(transport.p50()).isEqualTo(2.0);

        BenchReport.Curve curve = doc.curve("p99 latency by sessions");
        assertThat(curve.xLabel()).isEqualTo("sessions");
        assertThat(curve.series()).hasSize(2);
        assertThat(curve.series().get(0).y()).containsExactly(2.0, 4.0, 9.5);
        assertThat(curve.series().get(1).y()).containsExactly(40.0, null, 80.0);
        assertThat(doc.tables().get(0).rows()).containsExactly(List.of("10", "good"), List.of("25", "good"));
        assertThat(doc.notes()).containsExactly("a short run");
    }

    @Test
    void anEmptySampleSetHasNoStatistics() {
        BenchReport.Document doc = BenchReport.parseJson(BenchReport.create("x", "t")
                .samples("server", "e2e", List.of()).toJson());

        BenchReport.SampleSet set = doc.sampleSet("server", "e2e");
        assertThat(set.n()).isZero();
        assertThat(set.p99()).isNull();
        assertThat(set.values()).isEmpty();
    }

    @Test
    void htmlHasTwoChartsPerSampleSetOneLineChartPerCurveAndTheTables(@TempDir Path dir) throws Exception {
        BenchReport.Written written = sample().write(dir);
        String html = Files.readString(written.html());

        // 2 sample sets × (histogram + percentile plot) + 1 curve
        assertThat(count(html, "<figure class=\"chart\">")).isEqualTo(5);
        assertThat(count(html, "<svg")).isEqualTo(5);
        assertThat(html).doesNotContain("chart not drawn").doesNotContain("<script");
        assertThat(html).contains("client e2e — histogram", "client e2e — percentiles",
                "server transport — histogram", "p99 latency by sessions");
        // the summary table row of client e2e: n, p50, p95, p99
        assertThat(html).contains("<td>100</td><td>50.5</td><td>95.1</td><td>99.0</td>");
        assertThat(html).contains("<h2>Steps</h2>", "<td class=\"l\">25</td><td>good</td>");
        assertThat(html).contains("3 sessions &lt;zero&gt; &amp; friends").doesNotContain("<zero>");
        assertThat(html).contains("2 cores", "Test CPU");
    }

    @Test
    void aSeriesNeedsAsManyYsAsXs() {
        assertThatThrownBy(() -> new BenchReport.Series("s", List.of(1.0, 2.0), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BenchReport.Table("t", List.of("a", "b"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

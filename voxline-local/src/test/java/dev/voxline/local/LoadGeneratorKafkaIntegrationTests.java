package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.loadtest.cli.VoxlineCli;
import dev.voxline.loadtest.report.BenchReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The load generator's smoke run: {@code ./voxline bench load} with 3 callers for a few seconds against the running
 * stack (simulated engines, zero timings), exactly as a user runs it. Every caller must hold a conversation, nothing
 * may fail, and both report files must be written.
 */
class LoadGeneratorKafkaIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void threeCallersHoldConversationsWithoutErrorsAndTheReportIsWritten() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = VoxlineCli.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));

        int exit = cli.execute("bench", "load", "--sessions", "3", "--ramp", "1s", "--duration", "8s",
                "--timings", "zero", "--think", "500ms", "--metrics-wait", "5s",
                "--url", "ws://127.0.0.1:" + SharedStack.gatewayPort() + "/v1/talk", "--out", dir.toString());

        String printed = out.toString();
        System.out.println(printed);
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        assertThat(printed).contains("client e2e", "server transport", "suite per session")
                .containsPattern("turns \\d+ \\(without reply 0\\) in 3 sessions, errors 0, dropped sessions 0");

        List<Path> written;
        try (Stream<Path> files = Files.list(dir)) {
            written = files.sorted().toList();
        }
        assertThat(written).hasSize(2);
        Path json = written.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        Path html = written.stream().filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
        BenchReport.Document report = BenchReport.readJson(json);
        assertThat(report.benchmark()).isEqualTo("load");
        assertThat(report.results()).containsEntry("sessions with a reply", 3).containsEntry("errors", 0)
                .containsEntry("dropped sessions", 0).containsEntry("turns without reply", 0);
        assertThat((Integer) report.results().get("turns")).isGreaterThanOrEqualTo(3);
        BenchReport.SampleSet e2e = report.sampleSet("client", "e2e");
        assertThat(e2e.n()).isGreaterThanOrEqualTo(3);
        assertThat(e2e.p50()).isPositive();
        assertThat(report.sampleSet("server", "transport").n()).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(html)).contains("<svg", "client e2e — percentiles", "Latency (ms)");
    }
}

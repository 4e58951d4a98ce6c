package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.loadtest.cli.VoxlineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./voxline talk} against the running stack, exactly as a user runs it (same command line, same output). */
class TalkClientKafkaIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void talkPrintsTranscriptReplyAndLatencyAndWritesTheReply() throws Exception {
        Path wav = dir.resolve("question.wav");
        try (var in = getClass().getResourceAsStream("/audio/question-16k.wav")) {
            Files.copy(in, wav);
        }
        Path reply = dir.resolve("reply.wav");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = VoxlineCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

        int exit = cli.execute("talk", wav.toString(), "--url", "ws://127.0.0.1:" + SharedStack.gatewayPort()
                + "/v1/talk", "--out", reply.toString(), "--timings", "known", "--speed", "2");

        String printed = out.toString();
        System.out.println(printed);
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        assertThat(printed).contains("you:").contains("agent:");
        assertThat(printed).containsPattern("latency turn_\\w+: client e2e \\d+ ms \\| server e2e \\d+");
        assertThat(printed).contains("llm_ttft").contains("tts_ttfb").contains("transport");
        Wav written = Wav.parse(Files.readAllBytes(reply));
        assertThat(written.durationMs()).isGreaterThan(500);
        assertThat(Pcm.rmsDbfs(written.pcm())).as("reply audio is not silent").isGreaterThan(-40);
    }

    @Test
    void typedTextThroughTheTalkClient() {
        StringWriter out = new StringWriter();
        CommandLine cli = VoxlineCli.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute("talk", "--text", "what time is it", "--url", "ws://127.0.0.1:"
                + SharedStack.gatewayPort() + "/v1/talk", "--out", dir.resolve("typed.wav").toString(),
                "--timings", "zero");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("what time is it").containsPattern("client e2e \\d+ ms");
    }

    @Test
    void noGatewayIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cli = VoxlineCli.commandLine().setOut(new PrintWriter(new ByteArrayOutputStream(), true))
                .setErr(new PrintWriter(err, true));
        int exit = cli.execute("talk", "--text", "hi", "--url", "ws://127.0.0.1:1/v1/talk");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("no gateway at ws://127.0.0.1:1/v1/talk");
    }
}

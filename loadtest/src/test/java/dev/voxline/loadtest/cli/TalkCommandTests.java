package dev.voxline.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TalkCommandTests {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void noGatewayIsAFailureWithAnActionableMessage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int code = execute("talk", "--text", "hello", "--url", "ws://127.0.0.1:" + port + "/v1/talk");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("voxline talk: no gateway at ws://127.0.0.1:" + port
                + "/v1/talk: start it with ./voxline up");
    }

    @Test
    void anUnreadableWavIsAFailureNamingTheFile() throws Exception {
        Path bad = dir.resolve("bad.wav");
        Files.writeString(bad, "not audio at all, but long enough to be looked at by the parsers");

        int code = execute("talk", bad.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("voxline talk: " + bad + ": not a WAV file");
    }

    @Test
    void eitherAFileOrTextIsRequired() {
        assertThat(execute("talk")).isEqualTo(2);
        assertThat(err.toString()).contains("give either a WAV file or --text");
        assertThat(execute("talk", "a.wav", "--text", "hi")).isEqualTo(2);
        assertThat(execute("talk", "--text", "hi", "--timings", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("zero, known, realistic or default");
    }

    @Test
    void theBenchmarkPhraseShipsWithTheClient() throws Exception {
        assertThat(ClockBenchCommand.shippedPhrase().durationMs()).isBetween(2000L, 4000L);
    }

    private int execute(String... args) {
        CommandLine cli = VoxlineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}

package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ready banner read from a stand-in for the voxline script that prints what {@code voxline up} prints. */
class StackProcessTests {

    /** {@code ./voxline up}'s output up to its ready banner, warm-up line included (VoxlineLocal's banner). */
    private static final String OUTPUT = """
            voxline: warming up: 3 spoken turns through the pipeline

            ------------------------------------------------------------------------------
             Voxline is ready in 12.4 s (broker 1.9 s, services 8.1 s, side by side), RSS 812 MB (this JVM + broker)
               WebSocket  ws://localhost:18431/v1/talk          protocol: docs/protocol.md
               services   gateway :18431, vad :43895, stt :41187, llm :45087, tts :43261, metrics :41697
               Kafka      127.0.0.1:42623 (embedded, pid 19895, data /tmp/wu/kafka)
               turns      http://localhost:41697/api/v1/turns   (per-turn latency reports)
               warm-up    3 of 3 turns answered in 2.4 s
             Try it from another terminal:
            ------------------------------------------------------------------------------
            """;

    @Test
    void theBannerGivesTheTalkUrlAndTheBroker(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("banner.txt"), OUTPUT);
        Path script = dir.resolve("voxline");
        Files.writeString(script, "#!/bin/sh\ncat \"$(dirname \"$0\")/banner.txt\"\nexec sleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        try (StackProcess stack = StackProcess.start(script, List.of("--port=18431"), dir, dir.resolve("up.log"))) {
            StackProcess.Ready ready = stack.awaitReady(Duration.ofSeconds(20));

            assertThat(ready.talkUrl()).isEqualTo("ws://localhost:18431/v1/talk");
            assertThat(ready.bootstrapServers()).isEqualTo("127.0.0.1:42623");
        }
    }
}

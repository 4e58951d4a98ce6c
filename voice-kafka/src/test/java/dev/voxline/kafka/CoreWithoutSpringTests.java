package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The classes of {@code dev.voxline.kafka} itself (not its sub-packages) refer to nothing of Spring, so plain Java
 * code (tools, benchmarks) can use the transport, the poll loop, the settings and the stage runtime; the Spring wiring
 * lives in {@code dev.voxline.kafka.spring}.
 */
class CoreWithoutSpringTests {

    @Test
    void noCoreClassRefersToSpring() throws IOException, URISyntaxException {
        Path classes = Path.of(KafkaClientSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/voxline/kafka");
        List<Path> core;
        try (Stream<Path> files = Files.list(classes)) {
            core = files.filter(f -> f.toString().endsWith(".class")).toList();
        }

        assertThat(core).extracting(f -> f.getFileName().toString())
                .contains("KafkaVoiceTransport.class", "PollLoop.class", "SessionStage.class", "TopicDeclarer.class");
        for (Path file : core) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(file.getFileName().toString()).doesNotContain("org/springframework");
        }
    }
}

package dev.voxline.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTests {

    @AfterEach
    void clearOverride() {
        System.clearProperty(BrokerClasspath.OVERRIDE_PROPERTY);
    }

    @Test
    void prefersTheListWrittenAtBuildTime() {
        BrokerClasspath.Resolved resolved = BrokerClasspath.resolve();

        assertThat(resolved.source()).isEqualTo("build-time broker.classpath");
        assertThat(resolved.entries()).allSatisfy(p -> assertThat(p).isAbsolute().isRegularFile());
        assertThat(resolved.entries()).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("kafka_2.13-"));
        assertThat(resolved.allJars()).isTrue();
    }

    @Test
    void anOverrideWithoutTheBrokerIsRejectedWithTheReason(@TempDir Path empty) {
        System.setProperty(BrokerClasspath.OVERRIDE_PROPERTY, empty.toString());

        assertThatThrownBy(BrokerClasspath::resolve)
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining(BrokerClasspath.OVERRIDE_PROPERTY)
                .hasMessageContaining("kafka.Kafka");
    }

    @Test
    void anOverrideIsUsedAsGiven(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("kafka"));
        Files.write(dir.resolve("kafka/Kafka.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
        System.setProperty(BrokerClasspath.OVERRIDE_PROPERTY, dir.toString());

        assertThat(BrokerClasspath.resolve().entries()).containsExactly(dir);
    }
}

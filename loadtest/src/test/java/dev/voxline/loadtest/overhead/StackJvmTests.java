package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackJvmTests {

    private static final List<String> ARGUMENTS = List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10", "-Xss512k",
            "-XX:MaxRAM=2g", "-XX:SharedArchiveFile=/r/.voxline/app/voxline-local.jsa", "-Dvoxline.kafka.linger-ms=1",
            "-Dvoxline.broker.jvm-options=-XX:+UseG1GC", "-jar", "/r/.voxline/app/voxline-local-0.1.0-SNAPSHOT.jar",
            "--allow-test-settings", "--port=18080");

    @Test
    void theOptionsBeforeTheJarAndTheJarAreRead() {
        StackJvm jvm = StackJvm.parse("/usr/lib/jvm/java-17/bin/java", ARGUMENTS);

        assertThat(jvm.java()).isEqualTo("/usr/lib/jvm/java-17/bin/java");
        assertThat(jvm.launchJar()).isEqualTo("/r/.voxline/app/voxline-local-0.1.0-SNAPSHOT.jar");
        assertThat(jvm.options()).hasSize(7).doesNotContain("-jar", "--port=18080");
    }

    @Test
    void theChainKeepsEveryOptionButClassDataSharingAndTheBrokers() {
        StackJvm jvm = StackJvm.parse("java", ARGUMENTS);

        assertThat(jvm.chainOptions()).containsExactly("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10", "-Xss512k",
                "-XX:MaxRAM=2g", "-Dvoxline.kafka.linger-ms=1");
        assertThat(StackJvm.parse("java", List.of("-XX:ArchiveClassesAtExit=/a.jsa", "-XX:+UseSerialGC", "-jar",
                "voxline-local.jar")).chainOptions()).containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void aJvmThatRunsNoVoxlineLocalJarIsNotTheStack() {
        assertThat(StackJvm.parse("java", List.of("-Xmx1g", "-cp", "kafka.jar", "kafka.Kafka"))).isNull();
        assertThat(StackJvm.parse("java", List.of("-jar", "other.jar"))).isNull();
        assertThat(StackJvm.parse("java", List.of("-jar"))).isNull();
    }

    @Test
    void theChainsJvmRunsOnTheStacksClassPathFirstWithTheStacksOptions() {
        StackJvm jvm = StackJvm.parse("/jdk/bin/java", ARGUMENTS);

        List<String> command = ChainProcess.command(jvm, "/r/loadtest/target/loadtest.jar", "localhost:9092",
                new ChainOptions(0, 5, 12));

        assertThat(command.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(command.subList(1, 6)).isEqualTo(jvm.chainOptions());
        int cp = command.indexOf("-cp");
        assertThat(command.get(cp + 1)).isEqualTo("/r/.voxline/app/voxline-local-0.1.0-SNAPSHOT.jar"
                + java.io.File.pathSeparator + "/r/loadtest/target/loadtest.jar");
        assertThat(command.subList(cp + 2, command.size())).containsExactly(ChainProbeServer.class.getName(),
                "localhost:9092", "--linger-ms=0", "--fetch-max-wait-ms=5", "--partitions=12");
    }
}

package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler over a fake /proc: CPU from tick deltas, RSS, and only the suite's processes. */
class ProcessSamplerTests {

    @Test
    void cpuIsTheTickDeltaOverTheWallTimeBetweenSamples(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        process(proc, 100, "java\0-jar\0voxline-local-exec.jar\0", 1000, 300_000);
        process(proc, 200, "/bin/bash\0voxline-local\0", 5000, 1000);
        ProcessSampler sampler = new ProcessSampler(proc, 100, 0);

        sampler.sample(1_000_000_000L);
        process(proc, 100, "java\0-jar\0voxline-local-exec.jar\0", 1150, 301_000); // +150 ticks = 1.5 s CPU
        sampler.sample(2_000_000_000L);

        ProcessSampler.ProcessUsage stack = sampler.usage().stream().filter(u -> u.pid() == 100).findFirst()
                .orElseThrow();
        assertThat(stack.role()).isEqualTo("voxline-local");
        assertThat(stack.meanCores()).isEqualTo(1.5);
        assertThat(stack.meanRssMb()).isCloseTo(301_000 / 1024.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(sampler.usage()).noneMatch(u -> u.pid() == 200); // a shell is not the suite
    }

    @Test
    void withALocalGatewayOnlyItsProcessAndItsChildrenAreTheSuite(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("net"));
        // inode 4242 listens on port 18190 (0x470E); another stack listens elsewhere
        Files.writeString(proc.resolve("net/tcp"), String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:470E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242",
                "   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999",
                ""));
        process(proc, 100, 1, "java\0-jar\0voxline-local-exec.jar\0", 10, 1000);
        process(proc, 101, 100, "java\0-cp\0k.jar\0dev.voxline.kafka.embedded.EmbeddedKafkaMain\0", 10, 1000);
        process(proc, 300, 1, "java\0-jar\0voxline-local-exec.jar\0--port=8080\0", 10, 1000);
        Path fd = Files.createDirectories(proc.resolve("100/fd"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[4242]"));
        Files.createDirectories(proc.resolve("300/fd"));
        Files.createSymbolicLink(proc.resolve("300/fd/7"), Path.of("socket:[999]"));
        ProcessSampler sampler = new ProcessSampler(proc, 100, 18190);

        sampler.sample(1_000_000_000L);
        sampler.sample(2_000_000_000L);

        assertThat(sampler.gatewayPid()).isEqualTo(100);
        assertThat(sampler.usage()).extracting(ProcessSampler.ProcessUsage::pid).contains(100, 101)
                .doesNotContain(300);
    }

    private static void process(Path proc, int pid, String cmdline, long utime, long rssKb) throws Exception {
        process(proc, pid, 1, cmdline, utime, rssKb);
    }

    private static void process(Path proc, int pid, int ppid, String cmdline, long utime, long rssKb)
            throws Exception {
        Path dir = Files.createDirectories(proc.resolve(String.valueOf(pid)));
        Files.write(dir.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("stat"), pid + " (java) S " + ppid + " 1 1 0 -1 0 0 0 0 0 " + utime
                + " 0 0 0 20 0 1 0 100 0 0\n");
        Files.writeString(dir.resolve("status"), "Name:\tjava\nVmRSS:\t" + rssKb + " kB\n");
    }
}

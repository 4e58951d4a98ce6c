package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatTests {

    @Test
    void utimeAndStimeAreFields14And15() {
        String stat = "12270 (java) S 12193 12193 11900 0 -1 1077936384 225839 0 41 0 3712 468 0 0 20 0 61 0 "
                + "183920 3797716992 127607 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

        ProcStat.CpuTicks ticks = ProcStat.parseStat(stat);

        assertThat(ticks.pid()).isEqualTo(12270);
        assertThat(ticks.comm()).isEqualTo("java");
        assertThat(ticks.ppid()).isEqualTo(12193);
        assertThat(ticks.utime()).isEqualTo(3712);
        assertThat(ticks.stime()).isEqualTo(468);
        assertThat(ticks.total()).isEqualTo(4180);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "77 (my (odd) name) R 1 77 77 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 1 0 100 0 0\n";

        ProcStat.CpuTicks ticks = ProcStat.parseStat(stat);

        assertThat(ticks.comm()).isEqualTo("my (odd) name");
        assertThat(ticks.utime()).isEqualTo(250);
        assertThat(ticks.stime()).isEqualTo(50);
    }

    @Test
    void aTruncatedStatLineIsRefused() {
        assertThatThrownBy(() -> ProcStat.parseStat("1 (init) S 0 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcStat.parseStat("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rssComesFromVmRssInKilobytes() {
        String status = String.join("\n", List.of("Name:\tjava", "Umask:\t0022", "State:\tS (sleeping)",
                "VmPeak:\t 3810072 kB", "VmSize:\t 3708580 kB", "VmHWM:\t  512000 kB", "VmRSS:\t  510428 kB",
                "RssAnon:\t  480000 kB", "Threads:\t61"));

        assertThat(ProcStat.parseRssKb(status)).isEqualTo(510428);
        assertThat(ProcStat.parseRssKb("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEqualTo(-1);
    }

    @Test
    void theSuiteIsTheStackAndTheBrokerNotTheBuildOrTheShell() {
        assertThat(ProcStat.suiteRole("/usr/bin/java -XX:+UseSerialGC -jar /work/main/.voxline/app/"
                + "voxline-local-0.1.0-SNAPSHOT-exec.jar --allow-test-settings")).isEqualTo("voxline-local");
        assertThat(ProcStat.suiteRole("/usr/lib/jvm/java-17/bin/java -Xmx512m -cp kafka.jar "
                + "dev.voxline.kafka.embedded.EmbeddedKafkaMain --port 9092")).isEqualTo("embedded-kafka");
        // the broker child JVM of ./voxline up, as /proc/<pid>/cmdline shows it
        assertThat(ProcStat.suiteRole("/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xms64m -Xmx512m "
                + "-Dvoxline.embedded.kafka=/work/main/.voxline/kafka @/work/main/.voxline/kafka/classpath.args "
                + "kafka.Kafka /work/main/.voxline/kafka/server.properties")).isEqualTo("embedded-kafka");
        assertThat(ProcStat.suiteRole("bash /work/main/voxline up --allow-test-settings")).isNull();
        assertThat(ProcStat.suiteRole("/usr/bin/java -classpath /usr/share/maven/boot/plexus-classworlds.jar "
                + "org.codehaus.plexus.classworlds.launcher.Launcher -pl voxline-local test")).isNull();
        assertThat(ProcStat.suiteRole("java -Djarmode=tools -jar voxline-local-exec.jar extract")).isNull();
        assertThat(ProcStat.suiteRole("")).isNull();
    }

    @Test
    void listeningSocketsOnAPortComeFromProcNetTcp() {
        String tcp = String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:470E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1",
                "   1: 0100007F:470E 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5151 1",
                "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1");

        assertThat(ProcStat.listeningInodes(tcp, 18190)).containsExactly(4242L); // the established one is not
        assertThat(ProcStat.listeningInodes(tcp, 8080)).containsExactly(999L);
        assertThat(ProcStat.listeningInodes(tcp, 9092)).isEmpty();
    }

    @Test
    void cmdlineArgumentsAreNulSeparated() {
        byte[] raw = "java\0-jar\0voxline-local.jar\0".getBytes(StandardCharsets.UTF_8);

        assertThat(ProcStat.commandLine(raw)).isEqualTo("java -jar voxline-local.jar");
    }

    @Test
    void usageAveragesAndPeaksPerProcess() {
        ProcessSampler.ProcessUsage usage = ProcessSampler.summarize(List.of(
                new ProcessSampler.Sample(1, 42, "voxline-local", 0.5, 800),
                new ProcessSampler.Sample(2, 42, "voxline-local", 1.5, 820)));

        assertThat(usage.meanCores()).isEqualTo(1.0);
        assertThat(usage.maxCores()).isEqualTo(1.5);
        assertThat(usage.meanRssMb()).isEqualTo(810.0);
        assertThat(usage.maxRssMb()).isEqualTo(820.0);
        assertThat(usage.label()).isEqualTo("voxline-local (pid 42)");
        assertThat(ProcessSampler.suiteTotals(List.of(usage, new ProcessSampler.ProcessUsage("loadtest", 7, 2, 0.3,
                0.4, 100, 110)))).containsExactly(1.0, 810.0);
    }
}

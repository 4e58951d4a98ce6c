package dev.voxline.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** One real broker for the whole class; the last test closes it and checks nothing is left behind. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedKafkaBrokerTests {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().heapMb(256).build().start();
        System.out.printf("embedded broker %s ready in %d ms (format %d ms), rss %s%n",
                broker.bootstrapServers(), broker.startupMillis(), broker.formatMillis(), rssOf(broker.pid()));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void jvmOptionsFromThePropertyAreAddedAndOneNamingACollectorReplacesSerial() {
        assertThat(EmbeddedKafkaBroker.builder().jvmArg("-XX:MaxRAM=1g").build().jvmFlags())
                .contains("-XX:+UseSerialGC", "-XX:MaxRAM=1g");
        System.setProperty(EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY, " -XX:+UseParallelGC  -Xmn64m ");
        try {
            assertThat(EmbeddedKafkaBroker.builder().build().jvmFlags())
                    .contains("-XX:+UseParallelGC", "-Xmn64m")
                    .doesNotContain("-XX:+UseSerialGC", "");
        } finally {
            System.clearProperty(EmbeddedKafkaBroker.JVM_OPTIONS_PROPERTY);
        }
    }

    @Test
    @Order(1)
    void reportsWhereAndHowItRuns() throws IOException {
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
        assertThat(broker.controllerPort()).isPositive().isNotEqualTo(broker.port());
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.startupMillis()).isPositive().isGreaterThanOrEqualTo(broker.formatMillis());
        assertThat(ProcessHandle.of(broker.pid())).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");
    }

    @Test
    @Order(2)
    void producesAndConsumesARecordThroughAConsumerGroup() throws Exception {
        String topic = "embedded.roundtrip";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            var record = new ProducerRecord<>(topic, "session-1", "hello broker");
            record.headers().add("seq", "7".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-roundtrip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync();
        }

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("session-1");
            assertThat(r.value()).isEqualTo("hello broker");
            assertThat(new String(r.headers().lastHeader("seq").value(), StandardCharsets.UTF_8)).isEqualTo("7");
        });
    }

    @Test
    @Order(3)
    void runsWithTheSingleNodeSettings() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("num.partitions").value()).isEqualTo("12");
            assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
            assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
        }
    }

    @Test
    @Order(4)
    void failsClearlyOnAnInvalidSetting() {
        EmbeddedKafkaBroker bad = EmbeddedKafkaBroker.builder().property("num.partitions", "many").build();
        try {
            assertThatThrownBy(bad::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("exit code")
                    .hasMessageContaining("num.partitions")
                    .hasMessageContaining("many");
            assertThat(kafkaChildren()).containsExactly(broker.pid());
        } finally {
            deleteRecursively(bad.dataDir());
        }
    }

    @Test
    @Order(5)
    void failsClearlyWhenTheBrokerDiesDuringStartUp(@TempDir Path dataDir) throws IOException {
        // storage that belongs to another node: the broker refuses it after launch, not the format step
        Files.createDirectories(dataDir.resolve("kraft"));
        Files.writeString(dataDir.resolve("kraft/meta.properties"), "version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=7\n");
        EmbeddedKafkaBroker misfit = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();

        assertThatThrownBy(misfit::start)
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("Stored node id 7")
                .hasMessageContaining(dataDir.resolve("broker.log").toString());
        assertThat(kafkaChildren()).containsExactly(broker.pid());
    }

    @Test
    @Order(6)
    void refusesAPortThatIsTakenBeforeLaunchingAnything() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker blocked = EmbeddedKafkaBroker.builder().port(taken.getLocalPort()).build();

            assertThatThrownBy(blocked::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
            assertThat(blocked.dataDir()).doesNotExist();
            assertThat(kafkaChildren()).containsExactly(broker.pid());
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void closeLeavesNoProcessAndNoTempDirBehind() {
        long pid = broker.pid();
        Path dataDir = broker.dataDir();

        broker.close();
        broker.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(kafkaChildren()).isEmpty();
        assertThat(broker.isRunning()).isFalse();
        assertThat(dataDir).doesNotExist();
    }

    private static List<Long> kafkaChildren() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(EmbeddedKafkaBroker.PROCESS_MARKER)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    private static String rssOf(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }
}

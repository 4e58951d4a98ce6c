package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.voxline.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicDeclarer} on the real broker. Only this class declares voice.audio.in and voice.context in this test
 * JVM, with an audio retention of its own, so their configs are the ones declared here.
 */
class TopicDeclarerTests {

    private static final Duration RETENTION = Duration.ofMinutes(7);

    private final VoxlineKafkaSettings settings = new VoxlineKafkaSettings(TestBroker.bootstrapServers(), 12, 4, 3,
            RETENTION, 0, true);
    private final TopicDeclarer declarer = new TopicDeclarer(settings);

    @Test
    void eachTopicGetsItsPartitionsAndConfigsAndDeclaringTwiceIsFine() throws Exception {
        String plain = TestBroker.unique("plain");
        List<String> topics = List.of(Topics.AUDIO_IN, Topics.CONTEXT, Topics.DOWNLINK, plain);

        declarer.declare(topics);
        assertThatCode(() -> declarer.declare(topics)).doesNotThrowAnyException();

        try (Admin admin = TestBroker.admin()) {
            assertThat(partitions(admin, Topics.AUDIO_IN)).isEqualTo(12);
            assertThat(partitions(admin, Topics.DOWNLINK)).isEqualTo(12);
            assertThat(partitions(admin, plain)).isEqualTo(12);
            assertThat(config(admin, Topics.AUDIO_IN, TopicConfig.RETENTION_MS_CONFIG))
                    .isEqualTo(Long.toString(RETENTION.toMillis()));
            assertThat(config(admin, Topics.CONTEXT, TopicConfig.CLEANUP_POLICY_CONFIG))
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(config(admin, plain, TopicConfig.CLEANUP_POLICY_CONFIG))
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
            assertThat(config(admin, plain, TopicConfig.RETENTION_MS_CONFIG))
                    .isNotEqualTo(Long.toString(RETENTION.toMillis()));
        }
    }

    @Test
    void aTopicThatExistsIsLeftAsItIs() throws Exception {
        String existing = TestBroker.unique("existing");
        TestBroker.createTopic(existing, 2, Map.of(TopicConfig.RETENTION_MS_CONFIG, "60000"));

        declarer.declare(List.of(existing));

        try (Admin admin = TestBroker.admin()) {
            assertThat(partitions(admin, existing)).isEqualTo(2);
            assertThat(config(admin, existing, TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("60000");
        }
    }

    @Test
    void withDeclarationOffNothingIsCreated() throws Exception {
        String absent = TestBroker.unique("absent");

        new TopicDeclarer(settings.withDeclareTopics(false)).declare(List.of(absent));

        try (Admin admin = TestBroker.admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(absent);
        }
    }

    @Test
    void theDownlinkHasAPartitionRangeForEveryGatewayInstance() {
        TopicDeclarer twoGateways = new TopicDeclarer(new VoxlineKafkaSettings("127.0.0.1:1", 6, 2, 5, RETENTION, 0,
                false));

        NewTopic downlink = twoGateways.spec(Topics.DOWNLINK);
        NewTopic speech = twoGateways.spec(Topics.SPEECH);

        assertThat(downlink.numPartitions()).isEqualTo(10);
        assertThat(downlink.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(RETENTION.toMillis()));
        assertThat(speech.numPartitions()).isEqualTo(6);
        assertThat(twoGateways.spec(Topics.CONTROL).configs()).isEmpty();
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
    }

    private static String config(Admin admin, String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.get(name).value();
    }
}

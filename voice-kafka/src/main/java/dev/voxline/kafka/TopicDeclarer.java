package dev.voxline.kafka;

import dev.voxline.contracts.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service uses if they are absent (idempotent, at start). Every service derives the same
 * layout from {@link VoxlineKafkaSettings}, so whichever starts first creates them right. Topics that exist are left
 * as they are (their partitions and configs included).
 */
public final class TopicDeclarer {

    private static final Logger log = LoggerFactory.getLogger(TopicDeclarer.class);

    private final VoxlineKafkaSettings settings;

    public TopicDeclarer(VoxlineKafkaSettings settings) {
        this.settings = settings;
    }

    public NewTopic spec(String topic) {
        Map<String, String> configs = new HashMap<>();
        int partitions = settings.partitions();
        if (Topics.AUDIO_TOPICS.contains(topic)) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.audioRetention().toMillis()));
        }
        if (Topics.DOWNLINK.equals(topic)) {
            partitions = settings.downlinkPartitions();
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.audioRetention().toMillis()));
        }
        if (Topics.CONTEXT.equals(topic)) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return new NewTopic(topic, partitions, (short) 1).configs(configs);
    }

    /** Creates whichever of {@code topics} do not exist yet; waits up to 30 s for the broker. */
    public void declare(Collection<String> topics) {
        if (!settings.declareTopics() || topics.isEmpty()) {
            return;
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> specs = topics.stream().distinct().map(this::spec).toList();
            CreateTopicsResult result = admin.createTopics(specs);
            for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + " on "
                                + settings.bootstrapServers() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while declaring topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker " + settings.bootstrapServers()
                    + " did not answer within " + Duration.ofSeconds(30), e);
        }
    }
}

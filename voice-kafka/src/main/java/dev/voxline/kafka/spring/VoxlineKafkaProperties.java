package dev.voxline.kafka.spring;

import dev.voxline.kafka.VoxlineKafkaSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code voxline.kafka.*}, bound by Spring: the {@link VoxlineKafkaSettings} every Voxline service shares (see there
 * for what each means), with offline defaults. The core takes {@link #settings()}.
 *
 * @param bootstrapServers       the broker(s)
 * @param partitions             partitions of every sessionId-keyed topic
 * @param gatewayInstances       the most gateway instances the downlink is laid out for
 * @param partitionsPerGateway   downlink partitions each gateway instance owns ([n·i, n·i+n) for index i)
 * @param audioRetention         how long audio topics keep raw caller audio
 * @param lingerMs               producer linger (0 idle; 1 under load)
 * @param declareTopics          create missing topics at start (off where an operator manages them)
 */
@ConfigurationProperties("voxline.kafka")
public record VoxlineKafkaProperties(
        @DefaultValue(VoxlineKafkaSettings.DEFAULT_BOOTSTRAP_SERVERS) String bootstrapServers,
        @DefaultValue("12") int partitions,
        @DefaultValue("4") int gatewayInstances,
        @DefaultValue("3") int partitionsPerGateway,
        @DefaultValue("15m") Duration audioRetention,
        @DefaultValue("0") int lingerMs,
        @DefaultValue("true") boolean declareTopics) {

    public VoxlineKafkaSettings settings() {
        return new VoxlineKafkaSettings(bootstrapServers, partitions, gatewayInstances, partitionsPerGateway,
                audioRetention, lingerMs, declareTopics);
    }

    public int downlinkPartitions() {
        return gatewayInstances * partitionsPerGateway;
    }
}

package dev.voxline.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How Voxline uses Kafka, the same in every service and tool: the broker, the partition layout, the audio retention,
 * the producer's linger and whether topics are created at start. The partition layout must be the same everywhere:
 * sessionId-keyed topics are co-partitioned, and voice.downlink partitions belong to gateway instances by index.
 * Spring services bind it from {@code voxline.kafka.*} ({@code dev.voxline.kafka.spring.VoxlineKafkaProperties});
 * plain Java builds it with {@link #defaults()} and the {@code with…} methods.
 *
 * @param bootstrapServers       the broker(s)
 * @param partitions             partitions of every sessionId-keyed topic
 * @param gatewayInstances       the most gateway instances the downlink is laid out for
 * @param partitionsPerGateway   downlink partitions each gateway instance owns ([n·i, n·i+n) for index i)
 * @param audioRetention         how long audio topics keep raw caller audio
 * @param lingerMs               producer linger (0 idle; 1 under load)
 * @param declareTopics          create missing topics at start (off where an operator manages them)
 */
public record VoxlineKafkaSettings(String bootstrapServers, int partitions, int gatewayInstances,
                                   int partitionsPerGateway, Duration audioRetention, int lingerMs,
                                   boolean declareTopics) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    public VoxlineKafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(audioRetention, "audioRetention");
        if (partitions <= 0 || gatewayInstances <= 0 || partitionsPerGateway <= 0) {
            throw new IllegalArgumentException("partitions, gateway instances and partitions per gateway must be > 0");
        }
    }

    /** The defaults every service starts from: a local broker, 12 partitions, 4 × 3 downlink partitions. */
    public static VoxlineKafkaSettings defaults() {
        return new VoxlineKafkaSettings(DEFAULT_BOOTSTRAP_SERVERS, 12, 4, 3, Duration.ofMinutes(15),
                KafkaClientSettings.DEFAULT_LINGER_MS, true);
    }

    public VoxlineKafkaSettings withBootstrapServers(String servers) {
        return new VoxlineKafkaSettings(servers, partitions, gatewayInstances, partitionsPerGateway, audioRetention,
                lingerMs, declareTopics);
    }

    public VoxlineKafkaSettings withPartitions(int count) {
        return new VoxlineKafkaSettings(bootstrapServers, count, gatewayInstances, partitionsPerGateway,
                audioRetention, lingerMs, declareTopics);
    }

    public VoxlineKafkaSettings withDeclareTopics(boolean declare) {
        return new VoxlineKafkaSettings(bootstrapServers, partitions, gatewayInstances, partitionsPerGateway,
                audioRetention, lingerMs, declare);
    }

    public int downlinkPartitions() {
        return gatewayInstances * partitionsPerGateway;
    }
}

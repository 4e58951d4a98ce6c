package dev.voxline.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings every Voxline service reads ({@code voxline.kafka.*}). The partition layout must be the same in
 * every service: sessionId-keyed topics are co-partitioned, and voice.downlink partitions belong to gateway
 * instances by index.
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
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        @DefaultValue("12") int partitions,
        @DefaultValue("4") int gatewayInstances,
        @DefaultValue("3") int partitionsPerGateway,
        @DefaultValue("15m") Duration audioRetention,
        @DefaultValue("0") int lingerMs,
        @DefaultValue("true") boolean declareTopics) {

    public int downlinkPartitions() {
        return gatewayInstances * partitionsPerGateway;
    }
}

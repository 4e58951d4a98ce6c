package dev.voxline.local;

import dev.voxline.contracts.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every voice.downlink partition from the beginning, as an operator with kcat would. */
final class DownlinkSpy implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    private DownlinkSpy(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    static DownlinkSpy open(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.DOWNLINK);
        List<TopicPartition> partitions = IntStream.range(0, infos.size())
                .mapToObj(p -> new TopicPartition(Topics.DOWNLINK, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return new DownlinkSpy(consumer);
    }

    /** Which downlink partitions carried records of each session (reads until all appear, then a bit more). */
    Map<String, Set<Integer>> partitionsOf(Set<String> sessionIds, Duration timeout) {
        Map<String, Set<Integer>> partitions = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int emptyPolls = 0;
        while (System.nanoTime() < deadline && (!partitions.keySet().containsAll(sessionIds) || emptyPolls < 3)) {
            var records = consumer.poll(Duration.ofMillis(200));
            emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                if (sessionIds.contains(record.key())) {
                    partitions.computeIfAbsent(record.key(), k -> new HashSet<>()).add(record.partition());
                }
            }
        }
        return partitions;
    }

    @Override
    public void close() {
        consumer.close();
    }
}

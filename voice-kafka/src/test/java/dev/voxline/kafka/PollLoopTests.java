package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PollLoop} on the real broker, with configs from {@link KafkaClientSettings} as the transport makes them. */
class PollLoopTests {

    private final List<PollLoop> loops = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private String topic;

    @BeforeEach
    void topicAndProducer() {
        topic = TestBroker.unique("poll-loop");
        TestBroker.createTopic(topic, 3, Map.of());
        producer = new KafkaProducer<>(KafkaClientSettings.producer(TestBroker.bootstrapServers(), topic + "-p"));
    }

    @AfterEach
    void close() {
        loops.forEach(PollLoop::close);
        producer.close();
    }

    @Test
    void everyPartitionsRecordsArriveInTheOrderTheyWereSent() {
        List<VoiceRecord> received = new CopyOnWriteArrayList<>();
        PollLoop loop = group("ordered", received::add);
        TestBroker.await("assignment", loop::isReady);

        for (int i = 0; i < 60; i++) {
            send(i % 3, "session-" + (i % 6), Integer.toString(i));
        }
        producer.flush();
        TestBroker.await("60 records", () -> received.size() == 60);

        for (int partition = 0; partition < 3; partition++) {
            int p = partition;
            List<VoiceRecord> ofPartition = received.stream().filter(r -> r.partition() == p).toList();
            assertThat(ofPartition).hasSize(20);
            assertThat(ofPartition).extracting(VoiceRecord::offset).isSorted().doesNotHaveDuplicates();
            assertThat(ofPartition).extracting(PollLoopTests::value).isSortedAccordingTo(
                    (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        }
        assertThat(received).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(topic);
            assertThat(r.sessionId()).startsWith("session-");
            assertThat(r.polledMicros()).isPositive();
        });
    }

    @Test
    void aHandlerThatThrowsOnOneRecordDoesNotStopTheLoop() {
        List<String> handled = new CopyOnWriteArrayList<>();
        PollLoop loop = group("poison", record -> {
            handled.add(value(record));
            if (value(record).equals("poison")) {
                throw new IllegalStateException("cannot handle this one");
            }
        });
        TestBroker.await("assignment", loop::isReady);

        send(0, "s", "before");
        send(0, "s", "poison");
        send(0, "s", "after");
        producer.flush();
        TestBroker.await("the record after the poison one", () -> handled.contains("after"));
        send(0, "s", "later");
        producer.flush();
        TestBroker.await("a record sent later", () -> handled.contains("later"));

        assertThat(handled).containsExactly("before", "poison", "after", "later");
        assertThat(loop.isReady()).isTrue();
    }

    @Test
    void aClosedMemberCommittedItsPositionSoTheNextMemberOfTheGroupGoesOnFromThere() {
        List<String> first = new CopyOnWriteArrayList<>();
        PollLoop loop = group("resume", record -> first.add(value(record)));
        TestBroker.await("assignment", loop::isReady);
        send(0, "s", "a");
        send(1, "s", "b");
        producer.flush();
        TestBroker.await("both records", () -> first.size() == 2);

        loop.close();
        assertThat(loop.isReady()).isFalse();
        loop.close(); // a second close does nothing

        send(0, "s", "c");
        send(1, "s", "d");
        producer.flush();
        List<String> second = new CopyOnWriteArrayList<>();
        PollLoop next = group("resume", record -> second.add(value(record)));
        TestBroker.await("the records sent while nobody read", () -> second.size() == 2);

        assertThat(second).containsExactlyInAnyOrder("c", "d");
        assertThat(first).containsExactlyInAnyOrder("a", "b");
        assertThat(next.isReady()).isTrue();
    }

    @Test
    void anAssignedLoopReadsItsPartitionsFromTheEndWithoutAGroup() {
        send(1, "s", "old");
        producer.flush();
        List<VoiceRecord> received = new CopyOnWriteArrayList<>();
        PollLoop loop = PollLoop.assigned(KafkaClientSettings.assignedConsumer(TestBroker.bootstrapServers(),
                topic + "-assigned"), topic, List.of(1, 2), received::add, null);
        loops.add(loop);
        TestBroker.await("positions", loop::isReady);

        send(0, "s", "elsewhere");
        send(1, "s", "new");
        send(2, "s", "also new");
        producer.flush();
        TestBroker.await("two records", () -> received.size() == 2);

        assertThat(received).extracting(PollLoopTests::value).containsExactlyInAnyOrder("new", "also new");
        assertThat(received).extracting(VoiceRecord::partition).containsExactlyInAnyOrder(1, 2);
    }

    private PollLoop group(String name, VoiceTransport.RecordHandler handler) {
        String group = topic + "-" + name;
        PollLoop loop = PollLoop.subscribed(KafkaClientSettings.groupConsumer(TestBroker.bootstrapServers(),
                group + "-" + loops.size(), group), List.of(topic), handler, null, null);
        loops.add(loop);
        return loop;
    }

    private void send(int partition, String key, String value) {
        producer.send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String value(VoiceRecord record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}

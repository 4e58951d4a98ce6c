package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** What {@link KafkaVoiceTransport} writes, where it lands, and that an event loop never waits for the producer. */
class KafkaVoiceTransportTests {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final List<AutoCloseable> closeable = new ArrayList<>();
    private final Scheduler eventLoop = Schedulers.newSingle("event-loop-like");
    private KafkaVoiceTransport transport;
    private String topic;

    @BeforeEach
    void transport() {
        topic = TestBroker.unique("transport");
        TestBroker.createTopic(topic, 12, Map.of());
        transport = closing(new KafkaVoiceTransport(TestBroker.settings(), topic));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeable.size() - 1; i >= 0; i--) {
            closeable.get(i).close();
        }
        eventLoop.dispose();
    }

    @Test
    void everyRecordCarriesItsTypeDownlinkTraceAndSendTimeAnEventItsTurnAudioItsExtraHeaders() {
        List<VoiceRecord> received = readAll(topic);
        SessionRoute route = new SessionRoute("session-h", 5, TRACEPARENT);
        long before = WallClock.micros();

        transport.publish(topic, route, new VoiceEvent.TranscriptFinal("session-h", "turn-1", "hello", false, 0));
        transport.publishAudio(topic, route.withTraceparent(null), new byte[] {1, 2, 3, 4},
                Map.of(VoxHeaders.SEQ, "7", VoxHeaders.ARRIVAL_US, "123"));
        transport.publishTombstone(topic, route);
        TestBroker.await("three records", () -> received.size() == 3);

        VoiceRecord event = received.get(0);
        assertThat(event.sessionId()).isEqualTo("session-h");
        assertThat(event.headers()).containsEntry(VoxHeaders.TYPE, "transcript.final")
                .containsEntry(VoxHeaders.DOWNLINK, "5")
                .containsEntry(VoxHeaders.TRACEPARENT, TRACEPARENT)
                .containsEntry(VoxHeaders.TURN, "turn-1");
        assertThat(event.sentMicros()).isBetween(before, event.polledMicros());
        assertThat(event.event()).isInstanceOfSatisfying(VoiceEvent.TranscriptFinal.class,
                t -> assertThat(t.text()).isEqualTo("hello"));

        VoiceRecord audio = received.get(1);
        assertThat(audio.isAudio()).isTrue();
        assertThat(audio.value()).containsExactly(1, 2, 3, 4);
        assertThat(audio.headers()).containsEntry(VoxHeaders.SEQ, "7").containsEntry(VoxHeaders.ARRIVAL_US, "123")
                .containsEntry(VoxHeaders.DOWNLINK, "5").doesNotContainKey(VoxHeaders.TRACEPARENT);

        VoiceRecord tombstone = received.get(2);
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.headers()).doesNotContainKey(VoxHeaders.TYPE).containsKey(VoxHeaders.SENT_US);
    }

    @Test
    void aSessionsRecordsGoToThePartitionOfItsKeyAndTheDownlinkToTheRoutesPartition() {
        new TopicDeclarer(TestBroker.settings()).declare(List.of(Topics.DOWNLINK));
        List<VoiceRecord> onTopic = readAll(topic);
        List<VoiceRecord> downlink = new CopyOnWriteArrayList<>();
        VoiceTransport.Subscription reader = transport.assign(Topics.DOWNLINK, IntStream.range(0, 12).boxed()
                .toList(), downlink::add);
        TestBroker.await("downlink positions", reader::isReady);
        String session = TestBroker.unique("session-d");

        for (int i = 0; i < 3; i++) {
            transport.publish(topic, new SessionRoute(session, 7, null), new VoiceEvent.SessionEnded(session, "x"));
        }
        transport.toDownlink(new SessionRoute(session, -1, null), new VoiceEvent.SessionEnded(session, "dropped"));
        transport.toDownlink(new SessionRoute(session, 7, null), new VoiceEvent.SessionEnded(session, "routed"));
        // a marker after the dropped one on the partition its key would have picked
        int keyPartition = Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8))) % 12;
        transport.toDownlink(new SessionRoute(session, keyPartition, null),
                new VoiceEvent.SessionEnded(session, "marker"));
        TestBroker.await("the routed record and the marker", () -> mine(downlink, session).size() == 2
                && onTopic.size() == 3);

        assertThat(onTopic).extracting(VoiceRecord::partition).containsOnly(keyPartition);
        assertThat(mine(downlink, session)).extracting(r -> ((VoiceEvent.SessionEnded) r.event()).reason(),
                VoiceRecord::partition).containsExactlyInAnyOrder(
                        tuple("routed", 7),
                        tuple("marker", keyPartition));
    }

    @Test
    void onANonBlockingThreadAPreparedTopicIsSentDirectly() {
        transport.prepare(List.of(topic));
        List<VoiceRecord> received = readAll(topic);

        Mono.fromRunnable(() -> transport.publish(topic, new SessionRoute("s", 0, null),
                new VoiceEvent.SessionEnded("s", "direct"))).subscribeOn(eventLoop).block(TestBroker.WAIT);
        TestBroker.await("the record", () -> received.size() == 1);

        assertThat(transport.describe()).containsEntry("handedOverToSender", 0L).containsEntry("sendFailures", 0L);
    }

    @Test
    void prepareWaitsForATopicThatAppearsLaterThanOneMaxBlock() throws Exception {
        String late = TestBroker.unique("late");
        Thread creator = new Thread(() -> {
            try {
                Thread.sleep(6_000); // longer than the producer's max.block.ms (5 s)
                TestBroker.createTopic(late, 12, Map.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        creator.start();
        long started = System.nanoTime();

        transport.prepare(List.of(late));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(5));
        creator.join();
        List<VoiceRecord> received = readAll(late);
        Mono.fromRunnable(() -> transport.publish(late, new SessionRoute("s", 0, null),
                new VoiceEvent.SessionEnded("s", "direct"))).subscribeOn(eventLoop).block(TestBroker.WAIT);
        TestBroker.await("the record", () -> received.size() == 1);
        assertThat(transport.describe()).as("prepared: sent directly").containsEntry("handedOverToSender", 0L);
    }

    @Test
    void onANonBlockingThreadAnUnpreparedTopicGoesThroughTheSenderThreadAndKeepsItsOrder() {
        List<VoiceRecord> received = readAll(topic);

        Mono.fromRunnable(() -> {
            for (int i = 0; i < 50; i++) {
                transport.publish(topic, new SessionRoute("s", 0, null), new VoiceEvent.SessionEnded("s", "" + i));
            }
        }).subscribeOn(eventLoop).block(TestBroker.WAIT);
        TestBroker.await("50 records", () -> received.size() == 50);

        assertThat(received).extracting(r -> ((VoiceEvent.SessionEnded) r.event()).reason())
                .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(Integer::toString).toList());
        assertThat((Long) transport.describe().get("handedOverToSender")).isPositive();
        assertThat(transport.describe()).containsEntry("sendFailures", 0L);
    }

    @Test
    void aPartitionTheProducerDoesNotKnowGoesToTheSenderThreadAndHoldsUpNoOtherTopic() {
        new TopicDeclarer(TestBroker.settings()).declare(List.of(Topics.DOWNLINK));
        transport.prepare(List.of(topic, Topics.DOWNLINK));
        List<VoiceRecord> received = readAll(topic);

        // partition 50 of the 12 downlink partitions: the producer would wait max.block.ms (5 s) for it to appear
        Map<String, Object> afterReturn = Mono.fromCallable(() -> {
            transport.toDownlink(new SessionRoute("s", 50, null), new VoiceEvent.SessionEnded("s", "stuck"));
            transport.publish(topic, new SessionRoute("s", 0, null), new VoiceEvent.SessionEnded("s", "other"));
            return transport.describe();
        }).subscribeOn(eventLoop).block(TestBroker.WAIT);
        TestBroker.await("the other topic's record", () -> received.size() == 1);

        assertThat(afterReturn).containsEntry("handedOverToSender", 1L).containsEntry("sendFailures", 0L);
        TestBroker.await("the unknown partition's failure", () -> transport.describe().get("sendFailures")
                .equals(1L));
    }

    @Test
    void withoutMetadataASendOnANonBlockingThreadReturnsBeforeTheProducerGivesUp() {
        KafkaVoiceTransport unreachable = closing(new KafkaVoiceTransport(
                VoxlineKafkaSettings.defaults().withBootstrapServers("127.0.0.1:1"), "unreachable"));

        // A send that waited for metadata would return only once max.block.ms (5 s) passed, with the failure counted.
        Map<String, Object> afterReturn = Mono.fromCallable(() -> {
            unreachable.publish(Topics.CONTROL, new SessionRoute("s", 0, null), new VoiceEvent.SessionEnded("s", "x"));
            return unreachable.describe();
        }).subscribeOn(eventLoop).block(TestBroker.WAIT);

        assertThat(afterReturn).containsEntry("handedOverToSender", 1L).containsEntry("sendFailures", 0L);
        TestBroker.await("the sender thread's attempt to fail",
                () -> unreachable.describe().get("sendFailures").equals(1L));
    }

    private List<VoiceRecord> readAll(String readTopic) {
        List<VoiceRecord> received = new CopyOnWriteArrayList<>();
        PollLoop loop = PollLoop.assigned(KafkaClientSettings.assignedConsumer(TestBroker.bootstrapServers(),
                TestBroker.unique("reader")), readTopic, IntStream.range(0, 12).boxed().toList(), received::add, null);
        closing(loop::close);
        TestBroker.await("reader positions", loop::isReady);
        return received;
    }

    private static List<VoiceRecord> mine(List<VoiceRecord> records, String session) {
        return records.stream().filter(r -> session.equals(r.sessionId())).toList();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeable.add(resource);
        return resource;
    }
}

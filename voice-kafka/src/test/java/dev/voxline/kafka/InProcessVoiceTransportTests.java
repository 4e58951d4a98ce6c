package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessVoiceTransportTests {

    private final InProcessVoiceTransport transport = new InProcessVoiceTransport();
    private final SessionRoute route = new SessionRoute("s-1", 4, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void aSubscriptionIsReadyAtOnceAndGetsAudioWithTheKafkaHeaders() throws Exception {
        BlockingQueue<VoiceRecord> got = new LinkedBlockingQueue<>();
        VoiceTransport.Subscription subscription = transport.subscribe("vad-service", List.of(Topics.AUDIO_IN,
                Topics.CONTROL), got::add);
        assertThat(subscription.isReady()).isTrue();

        long before = WallClock.micros();
        transport.publishAudio(Topics.AUDIO_IN, route, new byte[640], Map.of("vox-seq", "7"));
        VoiceRecord record = got.poll(5, TimeUnit.SECONDS);

        assertThat(record).isNotNull();
        assertThat(record.isAudio()).isTrue();
        assertThat(record.value()).hasSize(640);
        assertThat(record.sessionId()).isEqualTo("s-1");
        assertThat(record.header("vox-seq")).isEqualTo("7");
        assertThat(record.header(VoxHeaders.DOWNLINK)).isEqualTo("4");
        assertThat(record.header(VoxHeaders.TRACEPARENT)).isEqualTo(route.traceparent());
        assertThat(record.route()).isEqualTo(route);
        assertThat(record.sentMicros()).isGreaterThanOrEqualTo(before);
        assertThat(record.polledMicros()).isGreaterThanOrEqualTo(record.sentMicros());
        assertThat(record.hopMicros()).isGreaterThanOrEqualTo(0);
        assertThat(record.partition()).isEqualTo(Utils.toPositive(Utils.murmur2("s-1".getBytes())) % 12);
    }

    @Test
    void eventsRoundTripThroughJsonAndKeepTheirOrderPerSession() throws Exception {
        List<VoiceRecord> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(200);
        transport.subscribe("llm-service", List.of(Topics.TRANSCRIPTS), record -> {
            got.add(record);
            all.countDown();
        });
        for (int i = 0; i < 100; i++) {
            transport.publish(Topics.TRANSCRIPTS, route, new VoiceEvent.Error("s-1", "t" + i, "c", "m"));
            transport.publish(Topics.TRANSCRIPTS, new SessionRoute("s-2", 0, null),
                    new VoiceEvent.Error("s-2", "t" + i, "c", "m"));
        }
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();

        for (String session : List.of("s-1", "s-2")) {
            List<String> turns = got.stream().filter(r -> r.sessionId().equals(session))
                    .map(r -> ((VoiceEvent.Error) r.event()).turnId()).toList();
            assertThat(turns).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "t" + i).toList());
            List<Long> offsets = got.stream().filter(r -> r.sessionId().equals(session)).map(VoiceRecord::offset)
                    .toList();
            assertThat(offsets).isSorted();
        }
        assertThat(got.get(0).type()).isEqualTo("error");
    }

    @Test
    void everySubscriptionHasItsOwnSingleDeliveryThread() throws Exception {
        List<String> vadThreads = Collections.synchronizedList(new ArrayList<>());
        List<String> sttThreads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(20);
        transport.subscribe("vad-service", List.of(Topics.CONTROL), r -> {
            vadThreads.add(Thread.currentThread().getName());
            done.countDown();
        });
        transport.subscribe("stt-service", List.of(Topics.CONTROL), r -> {
            sttThreads.add(Thread.currentThread().getName());
            done.countDown();
        });
        for (int i = 0; i < 10; i++) {
            transport.publish(Topics.CONTROL, new SessionRoute("s-" + i, 0, null),
                    new VoiceEvent.SessionEnded("s-" + i, "bye"));
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(vadThreads).hasSize(10).allMatch(vadThreads.get(0)::equals);
        assertThat(sttThreads).hasSize(10).allMatch(sttThreads.get(0)::equals);
        assertThat(vadThreads.get(0)).isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void theDownlinkGoesToTheRoutesPartitionOnly() throws Exception {
        BlockingQueue<VoiceRecord> gateway0 = new LinkedBlockingQueue<>();
        BlockingQueue<VoiceRecord> gateway1 = new LinkedBlockingQueue<>();
        transport.assign(Topics.DOWNLINK, List.of(0, 1, 2), gateway0::add);
        transport.assign(Topics.DOWNLINK, List.of(3, 4, 5), gateway1::add);

        transport.toDownlink(route, new VoiceEvent.Error("s-1", null, "c", "to partition 4"));
        transport.toDownlink(new SessionRoute("s-9", 1, null), new VoiceEvent.Error("s-9", null, "c", "to 1"));
        transport.toDownlink(new SessionRoute("s-x", -1, null), new VoiceEvent.Error("s-x", null, "c", "nowhere"));

        VoiceRecord first = gateway1.poll(5, TimeUnit.SECONDS);
        VoiceRecord second = gateway0.poll(5, TimeUnit.SECONDS);
        assertThat(first.partition()).isEqualTo(4);
        assertThat(first.sessionId()).isEqualTo("s-1");
        assertThat(second.partition()).isEqualTo(1);
        assertThat(second.sessionId()).isEqualTo("s-9");
        transport.toDownlink(route, new VoiceEvent.Error("s-1", null, "c", "marker"));
        assertThat(gateway1.poll(5, TimeUnit.SECONDS).event()).isInstanceOf(VoiceEvent.Error.class);
        assertThat(gateway0.poll(100, TimeUnit.MILLISECONDS)).as("no partition, no delivery").isNull();
        assertThat(gateway1).isEmpty();
    }

    @Test
    void membersOfOneGroupShareThePartitionsAndOtherGroupsSeeEverything() throws Exception {
        BlockingQueue<VoiceRecord> a = new LinkedBlockingQueue<>();
        BlockingQueue<VoiceRecord> b = new LinkedBlockingQueue<>();
        BlockingQueue<VoiceRecord> other = new LinkedBlockingQueue<>();
        transport.subscribe("tts-service", List.of(Topics.REPLIES), a::add);
        transport.subscribe("tts-service", List.of(Topics.REPLIES), b::add);
        transport.subscribe("audit", List.of(Topics.REPLIES), other::add);

        int sessions = 60;
        for (int i = 0; i < sessions; i++) {
            transport.publish(Topics.REPLIES, new SessionRoute("s-" + i, 0, null),
                    new VoiceEvent.SessionEnded("s-" + i, "x"));
        }
        List<VoiceRecord> seenByOther = drain(other, sessions);
        assertThat(seenByOther).hasSize(sessions);
        List<VoiceRecord> seenByA = new ArrayList<>();
        List<VoiceRecord> seenByB = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seenByA.size() + seenByB.size() < sessions && System.nanoTime() < deadline) {
            VoiceRecord next = a.poll(10, TimeUnit.MILLISECONDS);
            if (next != null) {
                seenByA.add(next);
            }
            b.drainTo(seenByB);
        }
        assertThat(seenByA.size() + seenByB.size()).isEqualTo(sessions);
        assertThat(seenByA).allMatch(r -> r.partition() < 6);
        assertThat(seenByB).allMatch(r -> r.partition() >= 6);
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndRecordsNobodyReadsAreDropped() throws Exception {
        BlockingQueue<VoiceRecord> got = new LinkedBlockingQueue<>();
        VoiceTransport.Subscription subscription = transport.subscribe("g", List.of(Topics.SPEECH), got::add);
        transport.publish(Topics.METRICS, route, new VoiceEvent.SessionEnded("s-1", "nobody reads metrics"));
        subscription.close();
        assertThat(subscription.isReady()).isFalse();
        transport.publish(Topics.SPEECH, route, new VoiceEvent.SessionEnded("s-1", "too late"));
        assertThat(got.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aHandlerFailureSkipsTheRecordAndDeliveryGoesOn() throws Exception {
        BlockingQueue<VoiceRecord> got = new LinkedBlockingQueue<>();
        transport.subscribe("g", List.of(Topics.SPEECH), record -> {
            if (((VoiceEvent.SessionEnded) record.event()).reason().equals("poison")) {
                throw new IllegalStateException("boom");
            }
            got.add(record);
        });
        transport.publish(Topics.SPEECH, route, new VoiceEvent.SessionEnded("s-1", "poison"));
        transport.publish(Topics.SPEECH, route, new VoiceEvent.SessionEnded("s-1", "fine"));
        VoiceRecord next = got.poll(5, TimeUnit.SECONDS);
        assertThat(((VoiceEvent.SessionEnded) next.event()).reason()).isEqualTo("fine");
    }

    private static List<VoiceRecord> drain(BlockingQueue<VoiceRecord> queue, int count) throws InterruptedException {
        List<VoiceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (records.size() < count && System.nanoTime() < deadline) {
            VoiceRecord next = queue.poll(10, TimeUnit.MILLISECONDS);
            if (next != null) {
                records.add(next);
            }
        }
        return records;
    }

    @Test
    void groupMembersAreToldTheirPartitionsWhenMembersComeAndGo() throws Exception {
        BlockingQueue<java.util.Set<Integer>> first = new LinkedBlockingQueue<>();
        BlockingQueue<java.util.Set<Integer>> second = new LinkedBlockingQueue<>();
        VoiceTransport.Subscription a = transport.subscribe("llm-service", List.of(Topics.TRANSCRIPTS), r -> { },
                first::add);
        assertThat(first.poll(5, TimeUnit.SECONDS)).containsExactlyElementsOf(IntStream.range(0, 12).boxed().toList());

        VoiceTransport.Subscription b = transport.subscribe("llm-service", List.of(Topics.TRANSCRIPTS), r -> { },
                second::add);
        assertThat(first.poll(5, TimeUnit.SECONDS)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(second.poll(5, TimeUnit.SECONDS)).containsExactly(6, 7, 8, 9, 10, 11);

        b.close();
        assertThat(first.poll(5, TimeUnit.SECONDS)).hasSize(12);
        a.close();
    }

    @Test
    void theContextTopicKeepsTheLatestRecordPerSessionUntilItsTombstone() {
        SessionRoute other = new SessionRoute("s-2", 4, null);
        transport.publish(Topics.CONTEXT, route, new VoiceEvent.ContextSnapshot("s-1", 1, null, List.of(), null));
        transport.publish(Topics.CONTEXT, route, new VoiceEvent.ContextSnapshot("s-1", 2, null, List.of(), null));
        transport.publish(Topics.CONTEXT, other, new VoiceEvent.ContextSnapshot("s-2", 1, null, List.of(), null));
        transport.publishTombstone(Topics.CONTEXT, other);
        transport.publish(Topics.TRANSCRIPTS, route, new VoiceEvent.TranscriptFinal("s-1", "t", "not kept", false));

        List<VoiceRecord> read = Collections.synchronizedList(new ArrayList<>());
        transport.readFromBeginning(Topics.CONTEXT, IntStream.range(0, 12).boxed().toList(), read::add).block();
        transport.readFromBeginning(Topics.TRANSCRIPTS, IntStream.range(0, 12).boxed().toList(), read::add).block();

        assertThat(read).singleElement().satisfies(record -> {
            assertThat(record.sessionId()).isEqualTo("s-1");
            assertThat(((VoiceEvent.ContextSnapshot) record.event()).seq()).isEqualTo(2);
        });
    }
}

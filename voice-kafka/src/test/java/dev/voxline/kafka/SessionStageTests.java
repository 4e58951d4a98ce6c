package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.testing.RecordingTransport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionStage}'s rules: input waits for its session's configuration, and a session's control and data reach
 * the same instance. The hold is shown on records fed by hand (so the input surely comes first); co-partitioning and
 * the order across the two topics through the real broker.
 */
class SessionStageTests {

    private final List<AutoCloseable> closeable = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeable.size() - 1; i >= 0; i--) {
            closeable.get(i).close();
        }
    }

    @Test
    void inputThatComesBeforeItsSessionsConfigurationWaitsForItAndThenRunsOnce() {
        FeedTransport feed = new FeedTransport();
        RecordingStage stage = started(new RecordingStage(feed, RecordingTransport.noTopics(), "held", "input"));

        feed.input("s1", 3);
        feed.input("s1", 3);
        assertThat(stage.events).isEmpty();

        feed.control(started("s1"), 3);

        assertThat(stage.events).containsExactly("s1 configure", "s1 input 3", "s1 input 3");
        feed.input("s1", 3);
        assertThat(stage.events).endsWith("s1 configure", "s1 input 3", "s1 input 3", "s1 input 3");
    }

    @Test
    void inputWhoseConfigurationNeverComesRunsWithDefaultsAfterTheWait() {
        FeedTransport feed = new FeedTransport();
        RecordingStage stage = started(new RecordingStage(feed, RecordingTransport.noTopics(), "held", "input"));

        feed.input("s2", 0);
        assertThat(stage.events).isEmpty();

        TestBroker.await("the held input", () -> stage.events.contains("s2 input 0"));
        assertThat(stage.events).containsExactly("s2 input 0");
    }

    @Test
    void aSessionsControlAndInputReachTheSameInstanceOnTheSamePartitionIndex() throws Exception {
        String group = TestBroker.unique("co-partitioned");
        String input = TestBroker.unique("co-input");
        RecordingStage first = startedOnBroker(group, input);
        TestBroker.await("the first instance's partitions", first::ready);
        RecordingStage second = startedOnBroker(group, input);
        TestBroker.await("the second instance's partitions", second::ready);
        awaitStable(group, 2);

        KafkaVoiceTransport gateway = closing(new KafkaVoiceTransport(TestBroker.settings(), group + "-gateway"));
        List<String> sessions = IntStream.range(0, 24).mapToObj(i -> group + "-s" + i).toList();
        for (String session : sessions) {
            SessionRoute route = new SessionRoute(session, 0, null);
            gateway.publish(Topics.CONTROL, route, started(session));
            gateway.publish(Topics.CONTROL, route, new VoiceEvent.PlaybackStarted(session, "t1", "g1"));
            gateway.publishAudio(input, route, new byte[320], Map.of(VoxHeaders.SEQ, "0"));
        }
        TestBroker.await("every session's control and input", () -> sessions.stream().allMatch(
                s -> first.of(s).size() + second.of(s).size() == 3));

        for (String session : sessions) {
            RecordingStage owner = first.of(session).isEmpty() ? second : first;
            RecordingStage other = owner == first ? second : first;
            assertThat(other.of(session)).as(session).isEmpty();
            List<String> events = owner.of(session);
            assertThat(events).as(session).hasSize(3).first().isEqualTo(session + " configure");
            // the two topics are not ordered between them: control and input in either order
            assertThat(partitionOf(events, " control ")).as(session).isEqualTo(partitionOf(events, " input "));
        }
        assertThat(sessions).anyMatch(s -> !first.of(s).isEmpty()).anyMatch(s -> !second.of(s).isEmpty());
    }

    @Test
    void throughTheBrokerASessionIsConfiguredBeforeItsInputEvenWhenTheInputWasSentFirst() {
        String group = TestBroker.unique("input-first");
        String input = TestBroker.unique("if-input");
        RecordingStage stage = startedOnBroker(group, input);
        TestBroker.await("partitions", stage::ready);

        KafkaVoiceTransport gateway = closing(new KafkaVoiceTransport(TestBroker.settings(), group + "-gateway"));
        List<String> sessions = IntStream.range(0, 10).mapToObj(i -> group + "-s" + i).toList();
        for (String session : sessions) {
            SessionRoute route = new SessionRoute(session, 0, null);
            gateway.publishAudio(input, route, new byte[320], Map.of(VoxHeaders.SEQ, "0"));
            gateway.publish(Topics.CONTROL, route, started(session));
        }
        TestBroker.await("every session's input", () -> sessions.stream().allMatch(s -> stage.of(s).size() == 2));

        for (String session : sessions) {
            assertThat(stage.of(session)).as(session).first().isEqualTo(session + " configure");
            assertThat(stage.of(session)).as(session).last().asString().startsWith(session + " input ");
        }
    }

    private static String partitionOf(List<String> events, String kind) {
        return events.stream().filter(e -> e.contains(kind)).map(e -> e.substring(e.indexOf(kind) + kind.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no" + kind + "event in " + events));
    }

    private RecordingStage startedOnBroker(String group, String input) {
        KafkaVoiceTransport transport = closing(new KafkaVoiceTransport(TestBroker.settings(), group));
        return started(new RecordingStage(transport, new TopicDeclarer(TestBroker.settings()), group, input));
    }

    private RecordingStage started(RecordingStage stage) {
        stage.start();
        closing(stage::stop);
        return stage;
    }

    private static void awaitStable(String group, int members) throws Exception {
        try (Admin admin = TestBroker.admin()) {
            TestBroker.await("group " + group + " stable with " + members + " members", () -> {
                try {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                            .get(30, TimeUnit.SECONDS).get(group);
                    return description.groupState() == GroupState.STABLE && description.members().size() == members
                            && description.members().stream()
                            .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static VoiceEvent.SessionStarted started(String session) {
        return new VoiceEvent.SessionStarted(session, AudioFormat.PIPELINE, AudioFormat.PIPELINE,
                new SessionConfig(AudioFormat.PIPELINE_RATE, AudioFormat.PIPELINE_RATE,
                        SessionConfig.DEFAULT_VAD_PROFILE, SessionConfig.Engines.unnamed(), null, null));
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeable.add(resource);
        return resource;
    }

    /** Writes down what each session is told, with the partition of the record where there is one. */
    private static final class RecordingStage extends SessionStage<RecordingStage.Session> {

        final List<String> events = new CopyOnWriteArrayList<>();

        RecordingStage(VoiceTransport transport, TopicDeclarer topics, String group, String input) {
            super(transport, topics, group, input, List.of());
        }

        boolean ready() {
            return ((KafkaVoiceTransport) transport).subscriptionsReady();
        }

        List<String> of(String session) {
            return events.stream().filter(e -> e.startsWith(session + " ")).toList();
        }

        @Override
        protected Session open(SessionRoute route) {
            return new Session(route.sessionId());
        }

        final class Session implements SessionStage.StageSession {
            private final String id;

            Session(String id) {
                this.id = id;
            }

            @Override
            public void configure(SessionConfig config) {
                events.add(id + " configure");
            }

            @Override
            public void onInput(VoiceRecord record) {
                events.add(id + " input " + record.partition());
            }

            @Override
            public void onControl(VoiceEvent event, VoiceRecord record) {
                events.add(id + " control " + record.partition());
            }

            @Override
            public void close() {
            }
        }
    }

    /** A transport whose one subscriber gets exactly the records a test hands it, in that order. */
    private static final class FeedTransport implements VoiceTransport {

        private RecordHandler handler;
        private long offset;

        void input(String session, int partition) {
            handler.onRecord(new VoiceRecord("input", partition, offset++, session,
                    Map.of(VoxHeaders.TYPE, VoxHeaders.AUDIO_TYPE, VoxHeaders.DOWNLINK, "0"), new byte[320], 0));
        }

        void control(VoiceEvent event, int partition) {
            handler.onRecord(new VoiceRecord(Topics.CONTROL, partition, offset++, event.sessionId(),
                    Map.of(VoxHeaders.TYPE, JsonCodec.typeName(event), VoxHeaders.DOWNLINK, "0"),
                    JsonCodec.get().encode(event), 0));
        }

        @Override
        public void publish(String topic, SessionRoute route, VoiceEvent event) {
        }

        @Override
        public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        }

        @Override
        public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler recordHandler) {
            this.handler = recordHandler;
            return new Subscription() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler recordHandler) {
            throw new UnsupportedOperationException();
        }
    }
}

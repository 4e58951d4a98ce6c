package dev.voxline.kafka.testing;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.VoxlineKafkaSettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link VoiceTransport} without a broker, for slice tests of any service: records what is published (after a
 * round trip through the codec, as the broker would) and lets a test feed records to the subscriber. Every record is
 * on partition 0; {@link #assignPartitions} plays a rebalance, and {@link #readFromBeginning} reads back the latest
 * record per key of what was published to that topic (as compaction keeps), plus what a test {@link #retain}s.
 */
public final class RecordingTransport implements VoiceTransport {

    public record Sent(String topic, SessionRoute route, VoiceEvent event, byte[] pcm, Map<String, String> headers) {
        public boolean isAudio() {
            return pcm != null;
        }

        public boolean isTombstone() {
            return pcm == null && event == null;
        }

        public String type() {
            return isAudio() ? VoxHeaders.AUDIO_TYPE : isTombstone() ? "tombstone" : JsonCodec.typeName(event);
        }
    }

    /** A declarer with topic creation switched off, for stages under test without a broker. */
    public static TopicDeclarer noTopics() {
        return new TopicDeclarer(VoxlineKafkaSettings.defaults().withBootstrapServers("127.0.0.1:1")
                .withDeclareTopics(false));
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    private RecordHandler handler;
    private AssignmentListener assignmentListener;
    private final List<VoiceRecord> retained = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long offset;

    @Override
    public void publish(String topic, SessionRoute route, VoiceEvent event) {
        // Round-trip through the codec, as the broker would.
        VoiceEvent decoded = JsonCodec.get().decodeEvent(JsonCodec.get().encode(event));
        sent.add(new Sent(topic, route, decoded, null, Map.of()));
    }

    @Override
    public void publishTombstone(String topic, SessionRoute route) {
        sent.add(new Sent(topic, route, null, null, Map.of()));
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler recordHandler,
                                  AssignmentListener listener) {
        this.assignmentListener = listener;
        return subscribe(groupId, topics, recordHandler);
    }

    /** Tells the subscriber (if it listens) that it now holds these partitions. */
    public void assignPartitions(java.util.Set<Integer> partitions) {
        if (assignmentListener != null) {
            assignmentListener.onAssigned(partitions);
        }
    }

    /** The session was started before this subscriber existed (on another instance): no session.started for it. */
    public void startedElsewhere(String sessionId) {
        started.add(sessionId);
    }

    /** A record that {@link #readFromBeginning} finds before what was published (state left by an earlier run). */
    public void retain(String topic, SessionRoute route, VoiceEvent event) {
        Map<String, String> headers = new HashMap<>();
        headers.put(VoxHeaders.TYPE, JsonCodec.typeName(event));
        headers.put(VoxHeaders.DOWNLINK, Integer.toString(route.downlinkPartition()));
        retained.add(new VoiceRecord(topic, 0, retained.size(), route.sessionId(), headers,
                JsonCodec.get().encode(event), 0));
    }

    @Override
    public reactor.core.publisher.Mono<Void> readFromBeginning(String topic, Collection<Integer> partitions,
                                                               RecordHandler recordHandler) {
        return reactor.core.publisher.Mono.fromRunnable(() -> {
            if (!partitions.contains(0)) {
                return;
            }
            Map<String, VoiceRecord> latest = new java.util.LinkedHashMap<>();
            retained.stream().filter(r -> r.topic().equals(topic)).forEach(r -> latest.put(r.sessionId(), r));
            for (Sent s : on(topic)) {
                Map<String, String> headers = new HashMap<>();
                headers.put(VoxHeaders.DOWNLINK, Integer.toString(s.route().downlinkPartition()));
                byte[] value = s.isTombstone() ? null : JsonCodec.get().encode(s.event());
                latest.put(s.route().sessionId(), new VoiceRecord(topic, 0, 0, s.route().sessionId(), headers,
                        value, 0));
            }
            latest.values().forEach(recordHandler::onRecord);
        });
    }

    @Override
    public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        sent.add(new Sent(topic, route, null, pcm, Map.copyOf(headers)));
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler recordHandler) {
        this.handler = recordHandler;
        started.clear(); // a new subscriber has seen no session yet
        return subscription();
    }

    @Override
    public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler recordHandler) {
        this.handler = recordHandler;
        return subscription();
    }

    public void deliverEvent(String topic, SessionRoute route, VoiceEvent event) {
        deliver(topic, route, JsonCodec.typeName(event), JsonCodec.get().encode(event), Map.of());
    }

    public void deliverAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> extra) {
        deliver(topic, route, VoxHeaders.AUDIO_TYPE, pcm, extra);
    }

    private void deliver(String topic, SessionRoute route, String type, byte[] value, Map<String, String> extra) {
        // Like the gateway, which always sends a session's session.started before its input.
        if (Topics.CONTROL.equals(topic) && "session.started".equals(type)) {
            started.add(route.sessionId());
        } else if (!Topics.CONTROL.equals(topic) && started.add(route.sessionId())) {
            deliverEvent(Topics.CONTROL, route, new VoiceEvent.SessionStarted(route.sessionId(),
                    AudioFormat.PIPELINE, AudioFormat.PIPELINE, new SessionConfig(AudioFormat.PIPELINE_RATE,
                    AudioFormat.PIPELINE_RATE, SessionConfig.DEFAULT_VAD_PROFILE,
                    new SessionConfig.Engines(null, null, null, null), null, null)));
        }
        Map<String, String> headers = new HashMap<>(extra);
        headers.put(VoxHeaders.TYPE, type);
        headers.put(VoxHeaders.DOWNLINK, Integer.toString(route.downlinkPartition()));
        handler.onRecord(new VoiceRecord(topic, 0, offset++, route.sessionId(), headers, value, 0));
    }

    public List<Sent> on(String topic) {
        return sent.stream().filter(s -> s.topic().equals(topic)).toList();
    }

    public List<String> types(String topic) {
        return on(topic).stream().map(Sent::type).toList();
    }

    public List<VoiceEvent> events(String topic) {
        return on(topic).stream().filter(s -> !s.isAudio()).map(Sent::event).toList();
    }

    public List<Sent> downlink() {
        return on(Topics.DOWNLINK);
    }

    private static Subscription subscription() {
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
}

package dev.voxline.kafka;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.Collection;
import java.util.Map;

/**
 * The critical path's one transport (DESIGN.md §2): plain kafka-clients, sessionId keys, the downlink routed by
 * explicit partition, and the {@code vox-downlink}, {@code traceparent} and send-time headers written on every
 * record. Sends never block the caller beyond the producer's buffer.
 */
public interface VoiceTransport {

    /** Publishes a JSON event keyed by the session; on {@link Topics#DOWNLINK} to the session's partition. */
    void publish(String topic, SessionRoute route, VoiceEvent event);

    /** Publishes raw PCM16LE keyed by the session, with extra headers (seq, turn …). */
    void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers);

    /**
     * Fetches producer metadata for the topics now, so the first send of a session never waits for it on a caller's
     * (possibly event-loop) thread.
     */
    default void prepare(Collection<String> topics) {
    }

    default void toDownlink(SessionRoute route, VoiceEvent event) {
        publish(Topics.DOWNLINK, route, event);
    }

    /**
     * Consumes {@code topics} in consumer group {@code groupId} with the range assignor, so partition i of every
     * topic lands on the same instance (co-partitioning). The handler runs on the subscription's poll thread and
     * must not block.
     */
    Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler);

    /** Reads fixed partitions of one topic with {@code assign()}, from the end; no group, no rebalancing. */
    Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler);

    @FunctionalInterface
    interface RecordHandler {
        void onRecord(VoiceRecord record);
    }

    interface Subscription extends AutoCloseable {
        /** True once partitions are assigned and positioned, so records sent from now on are seen. */
        boolean isReady();

        @Override
        void close();
    }
}

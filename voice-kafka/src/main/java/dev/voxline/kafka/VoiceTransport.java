package dev.voxline.kafka;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The critical path's one transport: plain kafka-clients, sessionId keys, the downlink routed by explicit partition,
 * and the {@code vox-downlink}, {@code traceparent} and send-time headers written on every record. A send called on
 * a non-blocking thread (a Netty event loop) never waits for the broker: not for metadata, not for buffer space.
 */
public interface VoiceTransport {

    /** Publishes a JSON event keyed by the session; on {@link Topics#DOWNLINK} to the session's partition. */
    void publish(String topic, SessionRoute route, VoiceEvent event);

    /** Publishes raw PCM16LE keyed by the session, with extra headers (seq, turn …). */
    void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers);

    /**
     * Publishes a tombstone (a null value) keyed by the session, so a compacted topic forgets the session's key.
     */
    default void publishTombstone(String topic, SessionRoute route) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send tombstones");
    }

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

    /**
     * {@link #subscribe(String, Collection, RecordHandler)}, telling {@code listener} the partition numbers this
     * member holds each time the group's assignment changes: always the whole current assignment (whatever the
     * rebalance protocol), on the poll thread, before any record of a newly assigned partition reaches the handler.
     * The listener must not block. Transports that cannot tell ignore the listener.
     */
    default Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler,
                                   AssignmentListener listener) {
        return subscribe(groupId, topics, handler);
    }

    /**
     * Reads partitions of a (compacted) topic from their beginning up to the end offsets they have when the read
     * starts, on a thread of its own (never a poll thread); every record goes to {@code handler} in partition order,
     * a tombstone as a record with a null value. Completes when every partition has been read to that end; no group,
     * no committed offsets. Transports that keep nothing complete at once.
     */
    default Mono<Void> readFromBeginning(String topic, Collection<Integer> partitions, RecordHandler handler) {
        return Mono.empty();
    }

    /** Reads fixed partitions of one topic with {@code assign()}, from the end; no group, no rebalancing. */
    Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler);

    /** The headers an event's record carries besides the common ones: its turn ({@code vox-turn}), if it has one. */
    static Map<String, String> eventHeaders(VoiceEvent event) {
        String turnId = event.turnId();
        return turnId == null ? Map.of() : Map.of(VoxHeaders.TURN, turnId);
    }

    @FunctionalInterface
    interface RecordHandler {
        void onRecord(VoiceRecord record);
    }

    @FunctionalInterface
    interface AssignmentListener {
        /** The partition numbers (of every subscribed topic: they are co-partitioned) this member now holds. */
        void onAssigned(java.util.Set<Integer> partitions);
    }

    interface Subscription extends AutoCloseable {
        /** True once partitions are assigned and positioned, so records sent from now on are seen. */
        boolean isReady();

        @Override
        void close();
    }
}

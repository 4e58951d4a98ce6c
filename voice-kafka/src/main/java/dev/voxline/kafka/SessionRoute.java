package dev.voxline.kafka;

/**
 * Where a session's records go: its key, the gateway partition of voice.downlink that every stage copies onto
 * what it produces, and the trace context of the turn being processed (null when none).
 */
public record SessionRoute(String sessionId, int downlinkPartition, String traceparent) {

    public SessionRoute withTraceparent(String newTraceparent) {
        return new SessionRoute(sessionId, downlinkPartition, newTraceparent);
    }
}

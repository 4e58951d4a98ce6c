package dev.voxline.gateway.downlink;

import java.util.function.LongConsumer;

/**
 * A frame in the {@link OutboundQueue} whose departure matters to the turn clock: {@code onSent} gets the
 * wall-clock epoch µs at which the frame left the queue for the WebSocket send (the first reply audio frame of a
 * turn, and the frame that ends a turn's audio).
 */
public record TrackedFrame(Object frame, LongConsumer onSent) {
}

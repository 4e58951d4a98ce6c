package dev.voxline.gateway.downlink;

import java.util.concurrent.ArrayBlockingQueue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The one bounded queue between a session and its socket. Items are JSON strings (text frames) or byte arrays
 * (binary frames). Reply audio is paced, so the queue only grows when the client stops reading; when it is full the
 * client is a slow consumer: nothing more is queued, what is queued is dropped ({@link #frames()} ends at once) and
 * {@code onOverflow} runs, so one stuck client can never make the gateway buffer without bound.
 *
 * <p>{@link #offer} must not be called concurrently (the session serialises it).
 */
public final class OutboundQueue {

    private final Sinks.Many<Object> sink;
    private final Sinks.One<Boolean> overflow = Sinks.one();
    private final Runnable onOverflow;
    private volatile boolean overflowed;
    private boolean closed;

    public OutboundQueue(int capacity, Runnable onOverflow) {
        this.sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
        this.onOverflow = onOverflow;
    }

    /** Queues a frame; false when the queue is closed or just overflowed. */
    public boolean offer(Object frame) {
        if (closed) {
            return false;
        }
        Sinks.EmitResult result = sink.tryEmitNext(frame);
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            closed = true;
            overflowed = true;
            overflow.tryEmitValue(Boolean.TRUE);
            onOverflow.run();
            return false;
        }
        return result.isSuccess();
    }

    /** No more frames: the socket is closed once the queued ones have been written. */
    public void complete() {
        if (!closed) {
            closed = true;
            sink.tryEmitComplete();
        }
    }

    /** What to write to the socket; subscribe once. */
    public Flux<Object> frames() {
        return sink.asFlux().takeUntilOther(overflow.asMono());
    }

    public boolean overflowed() {
        return overflowed;
    }
}

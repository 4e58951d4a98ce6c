package dev.voxline.loadtest.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Streams frames at real-time pace: frame {@code k} goes out when the {@link PacingClock} says it is due, and never
 * before the previous frame's send has completed (a WebSocket allows one send at a time). No thread waits: each
 * frame is a task scheduled for its deadline, so many sessions can share a small scheduler.
 */
public final class PacedAudioSender {

    /** Sends one frame; the future completes when the frame has been handed to the socket. */
    @FunctionalInterface
    public interface FrameSink extends Function<byte[], CompletableFuture<?>> {
    }

    private final List<byte[]> frames;
    private final PacingClock clock;
    private final DelayScheduler scheduler;
    private final FrameSink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile int markFrames = -1;
    private volatile Runnable mark;

    public PacedAudioSender(List<byte[]> frames, PacingClock clock, DelayScheduler scheduler, FrameSink sink) {
        this.frames = List.copyOf(frames);
        this.clock = clock;
        this.scheduler = scheduler;
        this.sink = sink;
    }

    /** Starts the clock and the stream; the future completes after the last frame's send. */
    public CompletableFuture<Void> start() {
        clock.start();
        scheduleFrame(0);
        return done;
    }

    /**
     * Runs {@code action} once the first {@code frames} frames have been handed to the socket (the input part of a
     * stream that goes on with an open microphone's silence); call before {@link #start}.
     */
    public PacedAudioSender whenSent(int frames, Runnable action) {
        if (frames < 1 || frames > this.frames.size()) {
            throw new IllegalArgumentException("frames must be in 1.." + this.frames.size() + ": " + frames);
        }
        this.markFrames = frames;
        this.mark = action;
        return this;
    }

    /** Sends no further frame; the stream's future completes normally. */
    public void cancel() {
        cancelled = true;
        done.complete(null);
    }

    private void scheduleFrame(int k) {
        if (cancelled || done.isDone()) {
            return;
        }
        if (k == frames.size()) {
            done.complete(null);
            return;
        }
        // always through the scheduler, even when already due: no recursion when the sink completes synchronously
        scheduler.schedule(() -> sendFrame(k), clock.delayNanos(k));
    }

    private void sendFrame(int k) {
        if (cancelled || done.isDone()) {
            return;
        }
        CompletableFuture<?> sent;
        try {
            sent = sink.apply(frames.get(k));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        sent.whenComplete((ignored, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                if (k + 1 == markFrames && mark != null) {
                    mark.run();
                }
                scheduleFrame(k + 1);
            }
        });
    }
}

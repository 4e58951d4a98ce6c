package dev.voxline.loadtest.load;

/**
 * A real-time player of one reply, fed with the reply's audio frames as they arrive: playback starts when the first
 * frame has arrived plus a jitter buffer; each later frame must have arrived by the time the frames before it have
 * played. A frame that arrives after that is an underrun: the player falls silent until it arrives (a gap the
 * caller hears), then plays on from there, so one late frame shifts everything after it. Pure logic, not
 * thread-safe (one turn, one socket thread).
 */
public final class ReplyPlayback {

    private final long jitterBufferNanos;
    private long playheadNanos;
    private boolean started;
    private int frames;
    private int underruns;
    private long gapNanos;
    private long audioNanos;

    public ReplyPlayback(long jitterBufferNanos) {
        if (jitterBufferNanos < 0) {
            throw new IllegalArgumentException("the jitter buffer cannot be negative");
        }
        this.jitterBufferNanos = jitterBufferNanos;
    }

    /** A frame of {@code durationNanos} of audio arrived at {@code arrivalNanos} (frames in arrival order). */
    public void frame(long arrivalNanos, long durationNanos) {
        if (!started) {
            started = true;
            playheadNanos = arrivalNanos + jitterBufferNanos;
        } else if (arrivalNanos > playheadNanos) {
            underruns++;
            gapNanos += arrivalNanos - playheadNanos;
            playheadNanos = arrivalNanos;
        }
        playheadNanos += durationNanos;
        audioNanos += durationNanos;
        frames++;
    }

    /** A frame of {@code bytes} of PCM16 mono at {@code sampleRate}. */
    public void frame(long arrivalNanos, int bytes, int sampleRate) {
        frame(arrivalNanos, sampleRate > 0 ? (bytes / 2) * 1_000_000_000L / sampleRate : 0);
    }

    public boolean started() {
        return started;
    }

    public int frames() {
        return frames;
    }

    /** How many times playback ran dry before the reply's audio ended. */
    public int underruns() {
        return underruns;
    }

    /** The silence the underruns put into the reply, in milliseconds. */
    public double gapMs() {
        return gapNanos / 1e6;
    }

    public double audioMs() {
        return audioNanos / 1e6;
    }

    /** When the last frame received so far finishes playing (the caller has heard the reply); 0 if none came. */
    public long endNanos() {
        return started ? playheadNanos : 0;
    }
}

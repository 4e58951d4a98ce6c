package dev.voxline.gateway.echo;

/**
 * When the caller hears each reply frame, from when it was sent: the same model the reply pacer paces by. A frame
 * plays when the one before it has finished, or at once if the caller's buffer ran dry (the first frame of a turn,
 * or after an underrun), so the ~200 ms the pacer sends ahead lands on the right playback slots instead of all at
 * the moment it was sent. Not thread-safe: one per session.
 */
public final class ReplyPlayhead {

    private long playedUntilMicros = Long.MIN_VALUE;

    /** The playback start of a frame of {@code samples} at {@code sampleRate} sent at {@code sentMicros}. */
    public long next(long sentMicros, int samples, int sampleRate) {
        long start = Math.max(sentMicros, playedUntilMicros);
        playedUntilMicros = start + (long) samples * 1_000_000 / sampleRate;
        return start;
    }

    /**
     * The client dropped what it had not played ({@code audio.paused}, {@code audio.clear}) at {@code nowMicros}:
     * the next frame plays when it is sent, not after the dropped lead, as the pacer assumes too.
     */
    public void dropped(long nowMicros) {
        playedUntilMicros = Math.min(playedUntilMicros, nowMicros);
    }
}

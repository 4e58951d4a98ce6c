package dev.voxline.gateway.echo;

/**
 * When the caller captured each 20 ms input frame, on the gateway's clock. Arrival times alone are too rough to line
 * echo up with playback: a browser sends 85 ms or more in one message (all its frames "arrive" together) and the
 * network adds jitter. The frame count is the client's sample clock, so capture time is {@code seq · 20 ms} plus an
 * offset, the smallest {@code arrival − seq · 20 ms} seen (the least-delayed frame); the offset creeps up slowly so
 * a client clock that runs slow is followed, and re-anchors after a gap in the audio. The constant network delay it
 * leaves in is part of the echo path delay that {@link EchoGate} finds. Not thread-safe: one per session.
 */
public final class CaptureClock {

    static final long FRAME_US = 20_000;
    /** A rise of the offset this large is a pause in the client's audio, not jitter. */
    private static final long GAP_US = 1_000_000;
    /** 1/512 of the excess per frame: a few µs per frame of bias for 85 ms messages, drift of any real clock. */
    private static final int CREEP_SHIFT = 9;

    private long offset;
    private boolean anchored;

    /** The capture start (µs) of frame {@code seq}, whose message arrived at {@code arrivalMicros}. */
    public long startMicros(long seq, long arrivalMicros) {
        long observed = arrivalMicros - seq * FRAME_US;
        if (!anchored || observed < offset || observed - offset > GAP_US) {
            offset = observed;
            anchored = true;
        } else {
            offset += (observed - offset) >> CREEP_SHIFT;
        }
        // The message arrived when its last sample was captured: frame seq ended then, so it started 20 ms before.
        return seq * FRAME_US + offset - FRAME_US;
    }
}

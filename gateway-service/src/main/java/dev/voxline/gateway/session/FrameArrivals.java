package dev.voxline.gateway.session;

import java.util.Arrays;

/**
 * When each recent 20 ms input frame arrived, by {@code seq}. The turn clock (DESIGN.md §3) measures a turn from
 * the arrival of the last voiced frame, which VAD names by seq in {@code speech.ended}; this ring keeps the last
 * minute so that look-up is a constant-time array access. Not thread-safe: the owning session serialises calls.
 */
public final class FrameArrivals {

    /** 60 s of 20 ms frames: far longer than any end-of-turn decision takes. */
    public static final int DEFAULT_CAPACITY = 3_000;

    private final long[] seqs;
    private final long[] arrivals;

    public FrameArrivals(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.seqs = new long[capacity];
        this.arrivals = new long[capacity];
        Arrays.fill(seqs, -1);
    }

    public void record(long seq, long arrivalMicros) {
        int slot = (int) Math.floorMod(seq, (long) seqs.length);
        seqs[slot] = seq;
        arrivals[slot] = arrivalMicros;
    }

    /** Wall-clock epoch microseconds at which frame {@code seq} arrived, or -1 if unknown or already forgotten. */
    public long arrivalMicros(long seq) {
        if (seq < 0) {
            return -1;
        }
        int slot = (int) Math.floorMod(seq, (long) seqs.length);
        return seqs[slot] == seq ? arrivals[slot] : -1;
    }
}

package dev.voxline.contracts.audio;

import java.util.Arrays;

/**
 * When each recent 20 ms input frame arrived at the gateway, by {@code seq}, and — for a stage that read the frame
 * from Kafka — how long its hop took and when it was polled. The turn clock measures a turn from the arrival of its
 * last voiced frame, which VAD names by seq; a ring of the last {@code capacity} frames keeps that look-up an array
 * access. Not thread-safe: the owning session serialises calls.
 */
public final class FrameArrivals {

    /** What every look-up returns for a frame it does not know (never recorded, or already forgotten). */
    public static final long UNKNOWN = -1;

    private final long[] seqs;
    private final long[] arrivals;
    /** Hop and poll instants, allocated on the first frame that has them (the gateway's frames never do). */
    private long[] hops;
    private long[] polls;

    public FrameArrivals(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.seqs = new long[capacity];
        this.arrivals = new long[capacity];
        Arrays.fill(seqs, -1);
    }

    /** Frame {@code seq} arrived at {@code arrivalMicros} (wall-clock epoch µs); a negative seq is not kept. */
    public void record(long seq, long arrivalMicros) {
        record(seq, arrivalMicros, UNKNOWN, UNKNOWN);
    }

    /** As {@link #record(long, long)}, with the frame's hop to this stage (µs) and when it was polled (epoch µs). */
    public void record(long seq, long arrivalMicros, long hopMicros, long polledMicros) {
        if (seq < 0) {
            return;
        }
        int slot = slot(seq);
        seqs[slot] = seq;
        arrivals[slot] = arrivalMicros;
        if (hops == null && (hopMicros != UNKNOWN || polledMicros != UNKNOWN)) {
            hops = new long[seqs.length];
            polls = new long[seqs.length];
            Arrays.fill(hops, UNKNOWN);
            Arrays.fill(polls, UNKNOWN);
        }
        if (hops != null) {
            hops[slot] = hopMicros;
            polls[slot] = polledMicros;
        }
    }

    /** Wall-clock epoch µs at which frame {@code seq} arrived at the gateway, or {@link #UNKNOWN}. */
    public long arrivalMicros(long seq) {
        return known(seq) ? arrivals[slot(seq)] : UNKNOWN;
    }

    /** How long frame {@code seq} took from its producer to this stage (µs), or {@link #UNKNOWN}. */
    public long hopMicros(long seq) {
        return known(seq) && hops != null ? hops[slot(seq)] : UNKNOWN;
    }

    /** Wall-clock epoch µs at which this stage polled frame {@code seq}, or {@link #UNKNOWN}. */
    public long polledMicros(long seq) {
        return known(seq) && polls != null ? polls[slot(seq)] : UNKNOWN;
    }

    private boolean known(long seq) {
        return seq >= 0 && seqs[slot(seq)] == seq;
    }

    private int slot(long seq) {
        return (int) Math.floorMod(seq, (long) seqs.length);
    }
}

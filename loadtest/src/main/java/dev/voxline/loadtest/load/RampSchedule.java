package dev.voxline.loadtest.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each of {@code count} sessions starts within a ramp: evenly spaced, the first at once, so
 * {@code ramp / count} apart (10 sessions over 10 s: at 0, 1, … 9 s). A zero ramp starts them all at once.
 */
public final class RampSchedule {

    private RampSchedule() {
    }

    /** The start offsets from the beginning of the ramp, in nanoseconds, ascending. */
    public static long[] offsetsNanos(int count, Duration ramp) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0");
        }
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("the ramp cannot be negative");
        }
        long[] offsets = new long[count];
        long rampNanos = ramp.toNanos();
        for (int i = 0; i < count; i++) {
            offsets[i] = count == 0 ? 0 : Math.round((double) rampNanos * i / count);
        }
        return offsets;
    }

    /**
     * The capacity benchmark's steps as session counts to add: each step tops the running sessions up to its
     * target ({@code 10, 25, 50} adds 10, then 15, then 25). Targets must rise.
     */
    public static List<Integer> additions(List<Integer> targets) {
        List<Integer> added = new ArrayList<>();
        int previous = 0;
        for (int target : targets) {
            if (target <= previous) {
                throw new IllegalArgumentException("steps must rise: " + target + " after " + previous);
            }
            added.add(target - previous);
            previous = target;
        }
        return added;
    }
}

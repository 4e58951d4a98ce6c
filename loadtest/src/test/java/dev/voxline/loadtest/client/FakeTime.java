package dev.voxline.loadtest.client;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * A fake clock with a scheduler on it: a task scheduled with a delay runs when {@link #runAll} reaches its time,
 * late by a random overshoot of up to {@code maxOvershootNanos} (a busy machine's late wake-ups).
 */
final class FakeTime implements NanoClock, DelayScheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final Random random = new Random(42);
    private final long maxOvershootNanos;
    private long now = 1_000_000_000L;
    private long order;

    FakeTime(long maxOvershootNanos) {
        this.maxOvershootNanos = maxOvershootNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        long overshoot = maxOvershootNanos > 0 ? (long) (random.nextDouble() * maxOvershootNanos) : 0;
        queue.add(new Task(now + delayNanos + overshoot, order++, task));
    }

    /** Schedules without overshoot (e.g. the completion of a send). */
    void scheduleExactly(Runnable task, long delayNanos) {
        queue.add(new Task(now + delayNanos, order++, task));
    }

    void runAll() {
        while (!queue.isEmpty()) {
            Task task = queue.poll();
            now = Math.max(now, task.at);
            task.runnable.run();
        }
    }

    private record Task(long at, long order, Runnable runnable) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}

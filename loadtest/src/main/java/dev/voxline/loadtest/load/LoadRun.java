package dev.voxline.loadtest.load;

import dev.voxline.loadtest.report.Percentiles;
import java.time.Duration;
import java.util.List;

/**
 * {@code bench load}: N callers started over a ramp, held until the duration is up (counted from the first start),
 * then stopped cleanly. Measures with a {@link LoadRecorder} and a {@link ProcessSampler}, shows progress.
 */
public final class LoadRun {

    /** What a run did: its figures and the processes' usage over it. */
    public record Result(int sessions, LoadRecorder.Window window, List<ProcessSampler.ProcessUsage> usage,
                         long elapsedMs) {
    }

    /**
     * @param drain how long turns in progress at the end may take to finish before their sessions are closed
     */
    public record Plan(int sessions, Duration ramp, Duration duration, Duration drain) {

        public Plan {
            if (sessions < 1) {
                throw new IllegalArgumentException("at least one session");
            }
            if (ramp.compareTo(duration) > 0) {
                throw new IllegalArgumentException("the ramp (" + ramp.toMillis() + " ms) is longer than the run ("
                        + duration.toMillis() + " ms)");
            }
        }
    }

    /** Progress output: a reporter per run. */
    @FunctionalInterface
    public interface ProgressFactory {
        AutoCloseable start(java.util.function.Supplier<ProgressLine.State> state);
    }

    private LoadRun() {
    }

    public static Result run(LoadSettings settings, Plan plan, ProgressFactory progress) {
        LoadRecorder recorder = new LoadRecorder();
        try (ProcessSampler sampler = ProcessSampler.forGateway(settings.url()).start();
             LoadGenerator generator = new LoadGenerator(settings, recorder)) {
            long start = generator.clock().nanoTime();
            long totalMs = plan.duration().toMillis();
            AutoCloseable shown = progress.start(() -> state(recorder, start, totalMs, plan.sessions(), null));
            try {
                generator.addSessions(plan.sessions(), plan.ramp());
                sleepUntil(start + plan.duration().toNanos());
                generator.stopAll(plan.drain());
            } finally {
                closeQuietly(shown);
            }
            long end = generator.clock().nanoTime();
            return new Result(plan.sessions(), recorder.all(), sampler.usage(), (end - start) / 1_000_000);
        }
    }

    static ProgressLine.State state(LoadRecorder recorder, long startNanos, long totalMs, int target, String phase) {
        LoadRecorder.Window all = recorder.all();
        Percentiles.Summary e2e = Percentiles.summarize(all.values(LoadMetric.CLIENT_E2E));
        return new ProgressLine.State((System.nanoTime() - startNanos) / 1_000_000, totalMs,
                recorder.activeSessions(), target, all.turnCount(), e2e.p50(), e2e.p99(), all.underruns(),
                all.errors(), all.droppedSessions(), phase);
    }

    static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.min(left / 1_000_000 + 1, 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // progress output only
        }
    }
}

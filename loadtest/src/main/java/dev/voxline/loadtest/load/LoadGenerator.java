package dev.voxline.loadtest.load;

import dev.voxline.loadtest.client.NanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the simulated callers of a run. Every session shares ONE scheduler (audio pacing, timeouts, think time), so
 * hundreds of sessions cost a few threads; callers are added over a ramp and stopped cleanly: first no new
 * utterance, then each turn in progress may finish (up to a drain time), then every session says session.end.
 */
public final class LoadGenerator implements AutoCloseable {

    private final LoadSettings settings;
    private final LoadRecorder recorder;
    private final NanoClock clock = NanoClock.SYSTEM;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService closer;
    private final List<SimulatedCaller> callers = new ArrayList<>();
    private final AtomicInteger nextIndex = new AtomicInteger();

    public LoadGenerator(LoadSettings settings, LoadRecorder recorder) {
        this.settings = settings;
        this.recorder = recorder;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, daemon("voxline-load-clock"));
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.closer = Executors.newFixedThreadPool(64, daemon("voxline-load-close"));
    }

    public LoadRecorder recorder() {
        return recorder;
    }

    public NanoClock clock() {
        return clock;
    }

    /**
     * Starts {@code count} more callers spread evenly over {@code ramp}; the future completes once the last has
     * been started (connecting, not yet connected).
     */
    public CompletableFuture<Void> addSessions(int count, Duration ramp) {
        long[] offsets = RampSchedule.offsetsNanos(count, ramp);
        List<CompletableFuture<Void>> launched = new ArrayList<>();
        for (long offset : offsets) {
            SimulatedCaller caller = new SimulatedCaller(nextIndex.getAndIncrement(), settings, scheduler, recorder,
                    clock);
            synchronized (callers) {
                callers.add(caller);
            }
            CompletableFuture<Void> started = new CompletableFuture<>();
            scheduler.schedule(() -> {
                try {
                    caller.start();
                } finally {
                    started.complete(null);
                }
            }, offset, TimeUnit.NANOSECONDS);
            launched.add(started);
        }
        return CompletableFuture.allOf(launched.toArray(new CompletableFuture[0]));
    }

    /** Callers started and not yet finished. */
    public int running() {
        synchronized (callers) {
            return (int) callers.stream().filter(c -> !c.finished().isDone()).count();
        }
    }

    /** Stops the {@code count} most recently added callers that are still running (the capacity hold). */
    public void removeSessions(int count, Duration drain) {
        List<SimulatedCaller> chosen = new ArrayList<>();
        synchronized (callers) {
            for (int i = callers.size() - 1; i >= 0 && chosen.size() < count; i--) {
                if (!callers.get(i).finished().isDone()) {
                    chosen.add(callers.get(i));
                }
            }
        }
        stop(chosen, drain);
    }

    /** Stops every caller: no new utterance, turns in progress get {@code drain} to finish, then all close. */
    public void stopAll(Duration drain) {
        List<SimulatedCaller> all;
        synchronized (callers) {
            all = new ArrayList<>(callers);
        }
        stop(all, drain);
    }

    private void stop(List<SimulatedCaller> chosen, Duration drain) {
        chosen.forEach(SimulatedCaller::stop);
        CompletableFuture<?>[] done = chosen.stream().map(SimulatedCaller::finished)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(done).get(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the turns still going are cut by the close below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // a caller never fails its future
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (SimulatedCaller caller : chosen) {
            closing.add(CompletableFuture.runAsync(caller::close, closer));
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        stopAll(Duration.ZERO);
        scheduler.shutdownNow();
        closer.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

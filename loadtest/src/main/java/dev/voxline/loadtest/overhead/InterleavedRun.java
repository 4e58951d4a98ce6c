package dev.voxline.loadtest.overhead;

import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TalkSession;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One session of spoken turns with the plain chain's probes interleaved: for each turn the request starts (its
 * audio opens with silence), the chain sends one probe while that silence streams, and then the turn runs to its
 * end. So the probes alternate with the turns, each probe travels while the session's audio flows through the
 * stack, and each turn runs while the chain's caller audio (50 frames/s) flows through the broker. The session keeps
 * its microphone open (silence while the reply plays). Without a chain it is the same session without probes (the
 * in-process stack). Warm-up turns and probes are run and left out. CPU and load are counted over the measured part.
 */
public final class InterleavedRun {

    /**
     * What was measured.
     *
     * @param probes  the measured probes' hop delays (ms), in order
     * @param lost    measured probes that did not come back
     * @param load    /proc/loadavg's 1-minute figure when measuring began, at its end, and the highest seen
     */
    public record Outcome(List<TurnResult> turns, List<double[]> probes, int lost, int problems,
                          CpuWindow.Usage cpu, double[] load) {
    }

    private InterleavedRun() {
    }

    /**
     * @param pids  processes whose CPU is counted over the measured turns (name → pid)
     * @param line  hears one line per 10 measured turns and every problem
     */
    public static Outcome run(URI url, SessionOptions options, TalkRequest request, ChainProcess chain, int warmup,
                              int turns, Map<String, Long> pids, Consumer<String> line,
                              Function<TurnResult, String> format) throws IOException, InterruptedException {
        List<TurnResult> measured = new ArrayList<>();
        List<double[]> probes = new ArrayList<>();
        int lost = 0;
        int problems = 0;
        CpuWindow cpu = null;
        double[] load = {Double.NaN, Double.NaN, Double.NaN};
        try (TalkSession session = TalkSession.connect(url, options)) {
            session.keepMicrophoneOpen(true);
            for (int i = 1; i <= warmup + turns; i++) {
                boolean counted = i > warmup;
                if (i == warmup + 1) {
                    cpu = CpuWindow.start(pids);
                    load[0] = load[2] = loadAverage();
                }
                CompletableFuture<TalkResult> run = session.runAsync(request);
                double[] probe = chain != null ? chain.probe() : null;
                TalkResult result;
                try {
                    result = run.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("turn " + i + " failed: " + e.getCause(), e.getCause());
                }
                String label = counted ? String.format(Locale.ROOT, "%3d/%d", i - warmup, turns) : "warm-up";
                if (counted) {
                    load[2] = Math.max(load[2], loadAverage());
                    if (chain != null) {
                        if (probe == null) {
                            lost++;
                            line.accept(label + " chain probe lost");
                        } else {
                            probes.add(probe);
                        }
                    }
                    measured.addAll(result.turns());
                }
                problems += TurnRunner.problems(result, label, line);
                if (counted && (i - warmup) % 10 == 0 && !result.turns().isEmpty()) {
                    line.accept(label + " " + format.apply(result.turns().get(0))
                            + (probe != null ? String.format(Locale.ROOT, ", chain %.1f ms", sum(probe)) : ""));
                }
            }
        }
        load[1] = loadAverage();
        CpuWindow.Usage usage = cpu != null ? cpu.finish() : null;
        return new Outcome(measured, probes, lost, problems, usage, load);
    }

    static double sum(double[] hops) {
        double total = 0;
        for (double hop : hops) {
            total += hop;
        }
        return total;
    }

    /** The 1-minute load average, NaN off Linux. */
    static double loadAverage() {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            return Double.parseDouble(text.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

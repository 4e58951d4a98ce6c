package dev.voxline.loadtest.load;

import dev.voxline.loadtest.report.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code bench capacity}: first one session alone (the single-session baseline of client E2E), then sessions ramp up
 * in steps (each step adds sessions on top of the previous step's and holds them), each step judged against the
 * baseline ({@link StepVerdict}); the ramp stops at the first step that fails. The deciding steps — the highest
 * that held and the next one up — are then measured again, alternately, {@code repeats} times each for
 * {@code hold}; the capacity is the highest of them that held every time ({@link #decide}).
 */
public final class CapacityRun {

    /**
     * @param steps          session counts, rising
     * @param step           how long each ramp step lasts (then until it has {@code criteria.minTurns()} turns, at
     *                       most {@link #MAX_STEP_FACTOR} × as long)
     * @param stepRamp       within a step, the added sessions start evenly over this; turns before it ends are not
     *                       counted in the step's latency (incidents are)
     * @param hold           how long each repeat of a deciding step lasts (same turn minimum); zero: no repeats
     * @param warmup         the first step's sessions run this long before step 1 is measured
     * @param criteria       what a step must meet
     * @param baselineTurns  turns of the single session measured for the baseline (after two unmeasured turns)
     * @param repeats        how often each deciding step is measured again
     */
    public record Plan(List<Integer> steps, Duration step, Duration stepRamp, Duration hold, Duration drain,
                       Duration warmup, StepVerdict.Criteria criteria, int baselineTurns, int repeats) {

        /** The longest a step may run to reach the turn minimum, in steps. */
        public static final int MAX_STEP_FACTOR = 4;
        /** Turns of the single session said before the baseline counts (cold JIT, first model loads). */
        public static final int BASELINE_WARMUP_TURNS = 2;

        public Plan {
            steps = List.copyOf(steps);
            RampSchedule.additions(steps); // rising, positive
            if (stepRamp.compareTo(step) >= 0) {
                throw new IllegalArgumentException("--step-ramp must be shorter than --step");
            }
            if (!hold.isZero() && stepRamp.compareTo(hold) >= 0) {
                throw new IllegalArgumentException("--step-ramp must be shorter than --hold");
            }
            if (baselineTurns < 1) {
                throw new IllegalArgumentException("--baseline-turns must be ≥ 1");
            }
            if (repeats < 0) {
                throw new IllegalArgumentException("--repeats must not be negative");
            }
        }

        /** The planned time without the baseline (whose length depends on the turn rate) and step extensions. */
        long totalMs() {
            return warmup.toMillis() + step.toMillis() * steps.size() + hold.toMillis() * repeats * 2L;
        }
    }

    /** One step (or repeat) as measured. */
    public record StepResult(String name, int sessions, StepVerdict.StepFigures figures,
                             List<ProcessSampler.ProcessUsage> usage, StepVerdict verdict, long fromNanos,
                             long toNanos) {

        public double suiteCores() {
            return ProcessSampler.suiteTotals(usage)[0];
        }

        public double suiteRssMb() {
            return ProcessSampler.suiteTotals(usage)[1];
        }

        Outcome outcome() {
            return new Outcome(sessions, verdict.held());
        }
    }

    /** A measured session count and whether it held: what {@link #decide} works on. */
    public record Outcome(int sessions, boolean held) {
    }

    /** A deciding count: whether it held in the ramp, and how many of its repeats held. */
    public record Tally(boolean rampHeld, int held, int measured) {
    }

    /**
     * What the run concludes.
     *
     * @param capacity the highest deciding count that held in every repeat (without repeats: the highest ramp step
     *                 that held); 0 when none did
     * @param tallies  per deciding count, in rising order
     */
    public record Decision(int capacity, Map<Integer, Tally> tallies) {

        public String describe() {
            StringBuilder line = new StringBuilder(capacity > 0 ? "capacity: " + capacity + " sessions"
                    : "capacity: no session count held every time");
            if (!tallies.isEmpty()) {
                List<String> parts = new ArrayList<>();
                tallies.forEach((sessions, t) -> parts.add(sessions + " sessions held " + t.held() + "/"
                        + t.measured() + " (ramp: " + (t.rampHeld() ? "held" : "failed") + ")"));
                line.append("; repeats: ").append(String.join(", ", parts));
            }
            return line.toString();
        }
    }

    /** The run: the baseline, the ramp, the repeats and the conclusion. */
    public record Result(StepVerdict.Baseline baseline, List<StepResult> steps, List<StepResult> repeats,
                         Decision decision, LoadRecorder recorder, List<ProcessSampler.ProcessUsage> usage) {

        /** The first failed ramp step, null if every step held. */
        public StepResult limit() {
            return steps.stream().filter(s -> !s.verdict().held()).findFirst().orElse(null);
        }

        public int largestGood() {
            return largestHeld(steps.stream().map(StepResult::outcome).toList());
        }
    }

    private static final long MIN_TURNS_POLL_NANOS = 1_000_000_000L;

    private CapacityRun() {
    }

    /** The highest ramp step that held before the first failure; 0 when the first failed. */
    static int largestHeld(List<Outcome> ramp) {
        int largest = 0;
        for (Outcome o : ramp) {
            if (!o.held()) {
                break;
            }
            largest = o.sessions();
        }
        return largest;
    }

    /** The counts to repeat: the highest ramp step that held and the failed one above it (either may be absent). */
    public static List<Integer> deciding(List<Outcome> ramp) {
        List<Integer> counts = new ArrayList<>();
        int held = largestHeld(ramp);
        if (held > 0) {
            counts.add(held);
        }
        ramp.stream().filter(o -> !o.held()).findFirst().ifPresent(o -> counts.add(o.sessions()));
        return counts;
    }

    /**
     * The capacity from the ramp and the repeats: the highest count repeated that held in every repeat, or without
     * repeats the highest ramp step that held. Pure.
     */
    public static Decision decide(List<Outcome> ramp, List<Outcome> repeats) {
        if (repeats.isEmpty()) {
            return new Decision(largestHeld(ramp), Map.of());
        }
        Map<Integer, Tally> tallies = new LinkedHashMap<>();
        for (int count : deciding(ramp)) {
            boolean rampHeld = ramp.stream().anyMatch(o -> o.sessions() == count && o.held());
            tallies.put(count, new Tally(rampHeld, 0, 0));
        }
        for (Outcome o : repeats) {
            Tally t = tallies.getOrDefault(o.sessions(), new Tally(false, 0, 0));
            tallies.put(o.sessions(), new Tally(t.rampHeld(), t.held() + (o.held() ? 1 : 0), t.measured() + 1));
        }
        int capacity = 0;
        for (Map.Entry<Integer, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            if (t.measured() > 0 && t.held() == t.measured()) {
                capacity = Math.max(capacity, e.getKey());
            }
        }
        return new Decision(capacity, tallies);
    }

    public static Result run(LoadSettings settings, Plan plan, LoadRun.ProgressFactory progress,
                             Consumer<String> onBaseline, Consumer<StepResult> onStep) {
        LoadRecorder recorder = new LoadRecorder();
        List<StepResult> steps = new ArrayList<>();
        List<StepResult> repeats = new ArrayList<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        try (ProcessSampler sampler = ProcessSampler.forGateway(settings.url()).start();
             LoadGenerator generator = new LoadGenerator(settings, recorder)) {
            long start = System.nanoTime();
            String[] phase = {"single session"};
            int[] target = {1};
            AutoCloseable shown = progress.start(() -> LoadRun.state(recorder, start, plan.totalMs(), target[0],
                    phase[0]));
            StepVerdict.Baseline baseline;
            try {
                generator.addSessions(1, Duration.ZERO);
                baseline = baseline(recorder, plan, start);
                onBaseline.accept(describe(baseline));
                int running = 1;
                if (!plan.warmup().isZero()) {
                    target[0] = plan.steps().get(0);
                    phase[0] = "warm-up";
                    long warmupStart = System.nanoTime();
                    generator.addSessions(target[0] - running, plan.stepRamp());
                    running = target[0];
                    LoadRun.sleepUntil(warmupStart + plan.warmup().toNanos());
                }
                for (int i = 0; i < plan.steps().size(); i++) {
                    int sessions = plan.steps().get(i);
                    target[0] = sessions;
                    phase[0] = "step " + (i + 1) + "/" + plan.steps().size();
                    StepResult result = hold(generator, recorder, sampler, "step " + (i + 1), sessions, running,
                            plan.step(), plan, baseline, cpus);
                    running = sessions;
                    steps.add(result);
                    onStep.accept(result);
                    if (!result.verdict().held()) {
                        break;
                    }
                }
                List<Integer> deciding = plan.hold().isZero() ? List.of()
                        : deciding(steps.stream().map(StepResult::outcome).toList());
                for (int r = 1; r <= plan.repeats() && !deciding.isEmpty(); r++) {
                    for (int sessions : deciding) {
                        target[0] = sessions;
                        phase[0] = "repeat " + r + "/" + plan.repeats() + " of " + sessions;
                        StepResult result = hold(generator, recorder, sampler, "repeat " + r, sessions,
                                generator.running(), plan.hold(), plan, baseline, cpus);
                        repeats.add(result);
                        onStep.accept(result);
                    }
                }
                phase[0] = "stopping";
                generator.stopAll(plan.drain());
            } finally {
                LoadRun.closeQuietly(shown);
            }
            Decision decision = decide(steps.stream().map(StepResult::outcome).toList(),
                    repeats.stream().map(StepResult::outcome).toList());
            return new Result(baseline, steps, repeats, decision, recorder, sampler.usage());
        }
    }

    /** One session's turns, after {@link Plan#BASELINE_WARMUP_TURNS} unmeasured ones; at most 30 s a turn. */
    private static StepVerdict.Baseline baseline(LoadRecorder recorder, Plan plan, long start) {
        long limit = start + Duration.ofSeconds(30).toNanos() * (plan.baselineTurns() + Plan.BASELINE_WARMUP_TURNS);
        while (recorder.all().turnCount() < Plan.BASELINE_WARMUP_TURNS && System.nanoTime() < limit) {
            LoadRun.sleepUntil(System.nanoTime() + 100_000_000L);
        }
        long from = System.nanoTime();
        while (recorder.window(from, System.nanoTime()).turnCount() < plan.baselineTurns()
                && System.nanoTime() < limit) {
            LoadRun.sleepUntil(System.nanoTime() + 100_000_000L);
        }
        LoadRecorder.Window window = recorder.window(from, System.nanoTime());
        Percentiles.Summary e2e = Percentiles.summarize(window.values(LoadMetric.CLIENT_E2E));
        return new StepVerdict.Baseline(e2e.count(), e2e.p95(), e2e.p99());
    }

    static String describe(StepVerdict.Baseline b) {
        return String.format(java.util.Locale.ROOT, "single session: client E2E p95 %.1f ms, p99 %.1f ms over %d "
                + "turns (the baseline of every step)", b.p95ClientE2e(), b.p99ClientE2e(), b.turns());
    }

    /**
     * Brings the load to {@code sessions} (adding over the step ramp, or stopping the newest callers), holds it for
     * {@code length} and then until the turn minimum is met (at most {@link Plan#MAX_STEP_FACTOR} × {@code length}),
     * and judges it.
     */
    private static StepResult hold(LoadGenerator generator, LoadRecorder recorder, ProcessSampler sampler, String name,
                                   int sessions, int running, Duration length, Plan plan,
                                   StepVerdict.Baseline baseline, int cpus) {
        long stepStart = System.nanoTime();
        if (running > sessions) {
            generator.removeSessions(running - sessions, plan.drain());
        } else if (running < sessions) {
            generator.addSessions(sessions - running, plan.stepRamp());
        }
        long settled = Math.max(System.nanoTime(), stepStart + (running != sessions ? plan.stepRamp().toNanos()
                : 0));
        LoadRun.sleepUntil(stepStart + length.toNanos());
        long longest = stepStart + length.toNanos() * Plan.MAX_STEP_FACTOR;
        while (System.nanoTime() < longest
                && recorder.window(settled, System.nanoTime()).turnCount() < plan.criteria().minTurns()) {
            LoadRun.sleepUntil(Math.min(longest, System.nanoTime() + MIN_TURNS_POLL_NANOS));
        }
        return measure(name, sessions, recorder, sampler, stepStart, settled, System.nanoTime(), baseline,
                plan.criteria(), cpus);
    }

    /**
     * A step's figures: incidents over the whole step, latencies, underruns and CPU of the turns that ended after
     * its sessions were all started ({@code settledNanos}).
     */
    static StepResult measure(String name, int sessions, LoadRecorder recorder, ProcessSampler sampler,
                              long fromNanos, long settledNanos, long toNanos, StepVerdict.Baseline baseline,
                              StepVerdict.Criteria criteria, int cpus) {
        LoadRecorder.Window whole = recorder.window(fromNanos, toNanos);
        LoadRecorder.Window settled = recorder.window(settledNanos, toNanos);
        Percentiles.Summary e2e = Percentiles.summarize(settled.values(LoadMetric.CLIENT_E2E));
        double p99Transport = Percentiles.summarize(settled.values(LoadMetric.TRANSPORT)).p99();
        List<ProcessSampler.ProcessUsage> usage = sampler.usage(settledNanos, toNanos);
        double suiteCores = ProcessSampler.suiteTotals(usage)[0];
        StepVerdict.StepFigures figures = new StepVerdict.StepFigures(sessions, settled.turnCount(), e2e.p95(),
                e2e.p99(), settled.gapMs(), settled.replyAudioMs(), whole.droppedSessions(), whole.errors(),
                settled.turnsWithoutReply(), suiteCores / cpus, p99Transport);
        return new StepResult(name, sessions, figures, usage, StepVerdict.judge(figures, baseline, criteria),
                fromNanos, toNanos);
    }
}

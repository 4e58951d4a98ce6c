package dev.voxline.loadtest.load;

import dev.voxline.loadtest.report.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code bench capacity}: sessions ramp up in steps (each step adds sessions on top of the previous step's and holds
 * them), each step is judged ({@link StepVerdict}), the ramp stops at the first step that fails, and then the
 * largest step that held is held again for a longer time to see whether it really holds.
 */
public final class CapacityRun {

    /**
     * @param steps     session counts, rising
     * @param step      how long each step lasts
     * @param stepRamp  within a step, the added sessions start evenly over this; turns before it ends are not
     *                  counted in the step's latency (incidents are)
     * @param hold      how long the largest good step is held at the end (zero: no hold)
     * @param warmup    the first step's sessions run this long before step 1 is measured (cold JIT, first
     *                  connections and model loads are not the capacity's business)
     * @param minTurns  a step goes on after {@code step} until it has measured this many turns (at most
     *                  {@link #MAX_STEP_FACTOR} × {@code step}): a p99 over a few dozen turns is the worst turn
     */
    public record Plan(List<Integer> steps, Duration step, Duration stepRamp, Duration hold, Duration drain,
                       double p99TransportLimitMs, Duration warmup, int minTurns) {

        /** The longest a step may run to reach {@code minTurns}, in steps. */
        public static final int MAX_STEP_FACTOR = 4;

        public Plan {
            steps = List.copyOf(steps);
            RampSchedule.additions(steps); // rising, positive
            if (stepRamp.compareTo(step) >= 0) {
                throw new IllegalArgumentException("--step-ramp must be shorter than --step");
            }
            if (minTurns < 0) {
                throw new IllegalArgumentException("--min-turns must not be negative");
            }
        }

        long totalMs() {
            return warmup.toMillis() + step.toMillis() * steps.size() + hold.toMillis();
        }
    }

    /** One step (or the hold) as measured. */
    public record StepResult(String name, int sessions, StepVerdict.StepFigures figures, double p99ClientE2e,
                             List<ProcessSampler.ProcessUsage> usage, StepVerdict verdict, long fromNanos,
                             long toNanos) {

        public double suiteCores() {
            return ProcessSampler.suiteTotals(usage)[0];
        }

        public double suiteRssMb() {
            return ProcessSampler.suiteTotals(usage)[1];
        }
    }

    /** The run: every step, the hold (null if none ran), and the largest number of sessions a step held. */
    public record Result(List<StepResult> steps, StepResult hold, int largestGood, LoadRecorder recorder,
                         List<ProcessSampler.ProcessUsage> usage) {

        public boolean held() {
            return hold != null && hold.verdict().held();
        }

        /** The first failed step, null if every step held. */
        public StepResult limit() {
            return steps.stream().filter(s -> !s.verdict().held()).findFirst().orElse(null);
        }
    }

    private static final long MIN_TURNS_POLL_NANOS = 1_000_000_000L;

    private CapacityRun() {
    }

    public static Result run(LoadSettings settings, Plan plan, LoadRun.ProgressFactory progress,
                             Consumer<StepResult> onStep) {
        LoadRecorder recorder = new LoadRecorder();
        List<StepResult> steps = new ArrayList<>();
        StepResult hold = null;
        int largestGood = 0;
        try (ProcessSampler sampler = ProcessSampler.forGateway(settings.url()).start();
             LoadGenerator generator = new LoadGenerator(settings, recorder)) {
            long start = System.nanoTime();
            String[] phase = {""};
            int[] target = {0};
            AutoCloseable shown = progress.start(() -> LoadRun.state(recorder, start, plan.totalMs(), target[0],
                    phase[0]));
            try {
                int running = 0;
                if (!plan.warmup().isZero()) {
                    target[0] = plan.steps().get(0);
                    phase[0] = "warm-up";
                    long warmupStart = System.nanoTime();
                    generator.addSessions(target[0], plan.stepRamp());
                    running = target[0];
                    LoadRun.sleepUntil(warmupStart + plan.warmup().toNanos());
                }
                for (int i = 0; i < plan.steps().size(); i++) {
                    int sessions = plan.steps().get(i);
                    target[0] = sessions;
                    phase[0] = "step " + (i + 1) + "/" + plan.steps().size();
                    long stepStart = System.nanoTime();
                    int added = sessions - running;
                    generator.addSessions(added, plan.stepRamp());
                    running = sessions;
                    long settled = stepStart + (added > 0 ? plan.stepRamp().toNanos() : 0);
                    LoadRun.sleepUntil(stepStart + plan.step().toNanos());
                    long longest = stepStart + plan.step().toNanos() * Plan.MAX_STEP_FACTOR;
                    while (System.nanoTime() < longest
                            && recorder.window(settled, System.nanoTime()).turnCount() < plan.minTurns()) {
                        LoadRun.sleepUntil(Math.min(longest, System.nanoTime() + MIN_TURNS_POLL_NANOS));
                    }
                    StepResult result = measure("step " + (i + 1), sessions, recorder, sampler, stepStart,
                            settled, System.nanoTime(), plan.p99TransportLimitMs());
                    steps.add(result);
                    onStep.accept(result);
                    if (!result.verdict().held()) {
                        break;
                    }
                    largestGood = sessions;
                }
                if (largestGood > 0 && !plan.hold().isZero()) {
                    target[0] = largestGood;
                    phase[0] = "hold";
                    long holdStart = System.nanoTime();
                    int live = generator.running();
                    if (live > largestGood) {
                        generator.removeSessions(live - largestGood, plan.drain());
                    } else if (live < largestGood) {
                        generator.addSessions(largestGood - live, plan.stepRamp());
                    }
                    long settled = Math.max(System.nanoTime(), holdStart + plan.stepRamp().toNanos());
                    LoadRun.sleepUntil(holdStart + plan.hold().toNanos());
                    hold = measure("hold", largestGood, recorder, sampler, settled, settled, System.nanoTime(),
                            plan.p99TransportLimitMs());
                    onStep.accept(hold);
                }
                phase[0] = "stopping";
                generator.stopAll(plan.drain());
            } finally {
                LoadRun.closeQuietly(shown);
            }
            return new Result(steps, hold, largestGood, recorder, sampler.usage());
        }
    }

    /**
     * A step's figures: incidents over the whole step, latencies and underruns of the turns that ended after its
     * sessions were all started ({@code settledNanos}).
     */
    static StepResult measure(String name, int sessions, LoadRecorder recorder, ProcessSampler sampler,
                              long fromNanos, long settledNanos, long toNanos, double limitMs) {
        LoadRecorder.Window whole = recorder.window(fromNanos, toNanos);
        LoadRecorder.Window settled = recorder.window(settledNanos, toNanos);
        double p99Transport = Percentiles.summarize(settled.values(LoadMetric.TRANSPORT)).p99();
        double p99E2e = Percentiles.summarize(settled.values(LoadMetric.CLIENT_E2E)).p99();
        StepVerdict.StepFigures figures = new StepVerdict.StepFigures(sessions, settled.turnCount(), p99Transport,
                settled.underruns(), whole.droppedSessions(), whole.errors(), settled.turnsWithoutReply());
        return new StepResult(name, sessions, figures, p99E2e, sampler.usage(settledNanos, toNanos),
                StepVerdict.judge(figures, limitMs), fromNanos, toNanos);
    }
}

package dev.voxline.loadtest.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a capacity step held, measured against the single-session baseline of the same run: at least
 * {@link Criteria#minTurns} turns, client E2E p95 at most the baseline's p95 + 50 ms and p99 at most the baseline's
 * p99 + 100 ms, reply-audio underrun time at most 0.1 % of the reply audio played, no session dropped, no error, no
 * turn without a reply, and the suite (services and broker) at most 75 % of the machine's CPU (LiveKit's worker
 * load threshold). {@code transport} is not judged: it is reported as a diagnostic. Pure.
 */
public record StepVerdict(boolean held, List<String> reasons) {

    /**
     * What a step measured.
     *
     * @param p95ClientE2e      NaN without replies
     * @param underrunMs        silence the modelled real-time playback put into replies (underrun time)
     * @param replyAudioMs      reply audio the step's turns received
     * @param suiteCpuFraction  the suite's mean CPU over the step as a fraction of the machine (cores ÷ CPUs)
     * @param p99Transport      diagnostic only; NaN without turn.metrics
     */
    public record StepFigures(int sessions, int turns, double p95ClientE2e, double p99ClientE2e, double underrunMs,
                              double replyAudioMs, int dropped, int errors, int turnsWithoutReply,
                              double suiteCpuFraction, double p99Transport) {

        /** Underrun time over reply audio; 0 without reply audio. */
        public double underrunFraction() {
            return replyAudioMs > 0 ? underrunMs / replyAudioMs : 0;
        }
    }

    /** Client E2E of one session alone on the stack, measured first in the same run. */
    public record Baseline(int turns, double p95ClientE2e, double p99ClientE2e) {
    }

    /** The limits; {@link #standard()} is the capacity criterion, smoke runs lower {@code minTurns}. */
    public record Criteria(int minTurns, double p95MarginMs, double p99MarginMs, double maxUnderrunFraction,
                           double maxSuiteCpuFraction) {

        public static final int MIN_TURNS = 200;

        public Criteria {
            if (minTurns < 0) {
                throw new IllegalArgumentException("--min-turns must not be negative");
            }
        }

        public static Criteria standard() {
            return new Criteria(MIN_TURNS, 50, 100, 0.001, 0.75);
        }

        public Criteria withMinTurns(int turns) {
            return new Criteria(turns, p95MarginMs, p99MarginMs, maxUnderrunFraction, maxSuiteCpuFraction);
        }

        public String describe() {
            return String.format(Locale.ROOT, "≥ %d turns, client E2E p95 ≤ single + %.0f ms and p99 ≤ single + "
                            + "%.0f ms, underrun time ≤ %s of reply audio, no drop, error or unanswered turn, suite "
                            + "CPU ≤ %.0f %% of the machine", minTurns, p95MarginMs, p99MarginMs,
                    percent(maxUnderrunFraction), maxSuiteCpuFraction * 100);
        }
    }

    public static StepVerdict judge(StepFigures f, Baseline baseline, Criteria criteria) {
        List<String> reasons = new ArrayList<>();
        if (f.turns() == 0) {
            reasons.add("no turn completed");
        } else if (f.turns() < criteria.minTurns()) {
            reasons.add(f.turns() + " turns < " + criteria.minTurns());
        }
        if (f.turns() > 0) {
            latency(reasons, "p95", f.p95ClientE2e(), baseline.p95ClientE2e(), criteria.p95MarginMs());
            latency(reasons, "p99", f.p99ClientE2e(), baseline.p99ClientE2e(), criteria.p99MarginMs());
        }
        if (f.underrunFraction() > criteria.maxUnderrunFraction()) {
            reasons.add(String.format(Locale.ROOT, "underrun %.0f ms = %s of %.0f s reply audio > %s",
                    f.underrunMs(), percent(f.underrunFraction()), f.replyAudioMs() / 1000,
                    percent(criteria.maxUnderrunFraction())));
        }
        if (f.dropped() > 0) {
            reasons.add(f.dropped() + " session" + (f.dropped() == 1 ? "" : "s") + " dropped");
        }
        if (f.errors() > 0) {
            reasons.add(f.errors() + " error" + (f.errors() == 1 ? "" : "s"));
        }
        if (f.turnsWithoutReply() > 0) {
            reasons.add(f.turnsWithoutReply() + " turn" + (f.turnsWithoutReply() == 1 ? "" : "s")
                    + " without a reply");
        }
        if (f.suiteCpuFraction() > criteria.maxSuiteCpuFraction()) {
            reasons.add(String.format(Locale.ROOT, "suite CPU %.0f %% > %.0f %% of the machine",
                    f.suiteCpuFraction() * 100, criteria.maxSuiteCpuFraction() * 100));
        }
        return new StepVerdict(reasons.isEmpty(), List.copyOf(reasons));
    }

    private static void latency(List<String> reasons, String name, double measured, double single, double margin) {
        if (Double.isNaN(measured)) {
            reasons.add("no client E2E " + name + " (no reply audio)");
        } else if (Double.isNaN(single)) {
            reasons.add("no single-session baseline");
        } else if (measured > single + margin) {
            reasons.add(String.format(Locale.ROOT, "client E2E %s %.0f ms > single %.0f + %.0f ms", name, measured,
                    single, margin));
        }
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    public String describe() {
        return held ? "held" : "failed: " + String.join(", ", reasons);
    }
}

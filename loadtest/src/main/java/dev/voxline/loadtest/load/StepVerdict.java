package dev.voxline.loadtest.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a capacity step held: p99 transport at most the limit (50 ms), no reply audio underrun, no session
 * dropped, no error, and turns were measured at all. Pure.
 */
public record StepVerdict(boolean held, List<String> reasons) {

    /** What a step measured. {@code p99Transport} NaN when no turn reported transport. */
    public record StepFigures(int sessions, int turns, double p99Transport, int underruns, int dropped, int errors,
                              int turnsWithoutReply) {
    }

    public static final double P99_TRANSPORT_LIMIT_MS = 50.0;

    public static StepVerdict judge(StepFigures f) {
        return judge(f, P99_TRANSPORT_LIMIT_MS);
    }

    public static StepVerdict judge(StepFigures f, double p99TransportLimitMs) {
        List<String> reasons = new ArrayList<>();
        if (f.turns() == 0) {
            reasons.add("no turn completed");
        } else if (Double.isNaN(f.p99Transport())) {
            reasons.add("no transport figure (turn.metrics) measured");
        } else if (f.p99Transport() > p99TransportLimitMs) {
            reasons.add(String.format(Locale.ROOT, "p99 transport %.1f ms > %.0f ms", f.p99Transport(),
                    p99TransportLimitMs));
        }
        if (f.underruns() > 0) {
            reasons.add(f.underruns() + " reply audio underrun" + (f.underruns() == 1 ? "" : "s"));
        }
        if (f.dropped() > 0) {
            reasons.add(f.dropped() + " session" + (f.dropped() == 1 ? "" : "s") + " dropped");
        }
        if (f.errors() > 0) {
            reasons.add(f.errors() + " error" + (f.errors() == 1 ? "" : "s"));
        }
        return new StepVerdict(reasons.isEmpty(), List.copyOf(reasons));
    }

    public String describe() {
        return held ? "held" : "failed: " + String.join(", ", reasons);
    }
}

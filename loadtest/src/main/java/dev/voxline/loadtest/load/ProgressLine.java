package dev.voxline.loadtest.load;

import java.util.Locale;

/**
 * The line a running load test shows: a bar of elapsed time, then elapsed/total, sessions active, turns done, the
 * client E2E p50/p99 so far, underruns and errors.
 *
 * <pre>[#########...........] 00:27/01:00 sessions 20/20 turns 143 e2e p50 512 p99 890 ms underruns 0 errors 0</pre>
 */
public final class ProgressLine {

    static final int BAR = 20;

    /** What the line shows; {@code p50}/{@code p99} NaN until a turn has a client E2E. */
    public record State(long elapsedMs, long totalMs, int activeSessions, int targetSessions, int turns,
                        double p50, double p99, int underruns, int errors, int dropped, String phase) {
    }

    private ProgressLine() {
    }

    public static String format(State s) {
        double fraction = s.totalMs() > 0 ? Math.min(1, Math.max(0, (double) s.elapsedMs() / s.totalMs())) : 1;
        int filled = (int) Math.floor(fraction * BAR);
        StringBuilder line = new StringBuilder();
        line.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                .append(clock(s.elapsedMs())).append('/').append(clock(s.totalMs()));
        if (s.phase() != null && !s.phase().isEmpty()) {
            line.append(' ').append(s.phase());
        }
        line.append(String.format(Locale.ROOT, " sessions %d/%d turns %d e2e p50 %s p99 %s ms underruns %d errors %d",
                s.activeSessions(), s.targetSessions(), s.turns(), ms(s.p50()), ms(s.p99()), s.underruns(),
                s.errors()));
        if (s.dropped() > 0) {
            line.append(" dropped ").append(s.dropped());
        }
        return line.toString();
    }

    /** mm:ss, or h:mm:ss from an hour on. */
    static String clock(long ms) {
        long seconds = Math.max(0, ms) / 1000;
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f", value);
    }
}

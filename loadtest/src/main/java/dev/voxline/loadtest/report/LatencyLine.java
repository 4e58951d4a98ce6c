package dev.voxline.loadtest.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.Locale;

/**
 * The talk command's per-turn latency line: the client's own E2E next to the server's {@code turn.metrics}
 * figures, under their protocol names, all in milliseconds.
 *
 * <pre>latency turn_8k2m4q7rtz3x: client e2e 512 ms | server e2e 498, eou_delay 380, transcription_delay 121,
 * llm_ttft 300, first_clause_delay 35, tts_ttfb 100, transport 4.3 (ms)</pre>
 */
public final class LatencyLine {

    private LatencyLine() {
    }

    public static String format(TurnResult turn) {
        return "latency " + turn.turnId() + ": client e2e " + withUnit(turn.clientE2eMs()) + " | "
                + server(turn.metrics());
    }

    public static String server(VoiceEvent.TurnMetrics m) {
        if (m == null) {
            return "server: no turn.metrics received";
        }
        String line = "server e2e " + ms(m.e2e())
                + ", eou_delay " + ms(m.eouDelay())
                + ", transcription_delay " + ms(m.transcriptionDelay())
                + ", llm_ttft " + ms(m.llmTtft())
                + ", first_clause_delay " + ms(m.firstClauseDelay())
                + ", tts_ttfb " + ms(m.ttsTtfb())
                + ", transport " + ms(m.transport()) + " (ms)";
        if (m.interrupted()) {
            line += ", interrupted";
        }
        if (m.reason() != null) {
            line += " — " + m.reason();
        }
        return line;
    }

    /** Whole milliseconds, one decimal below 10 ms (transport, hops), "–" when not measured. */
    public static String ms(Double value) {
        if (value == null || value.isNaN()) {
            return "–";
        }
        return Math.abs(value) < 10 ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String withUnit(Double value) {
        return value == null ? "– (no reply audio)" : ms(value) + " ms";
    }
}

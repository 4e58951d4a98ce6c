package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.SessionConfig;
import java.util.Locale;

/**
 * Simulated-engine timings a client can ask for in {@code session.start} (the gateway must run with
 * {@code --allow-test-settings}). {@link #KNOWN} are the reference figures, so a report can be checked
 * against what was configured.
 */
public enum Timings {

    /** The server's configured defaults: no {@code simulation} in session.start. */
    DEFAULT(null),
    /** Every simulated delay 0, tokens as fast as the engine goes, instant synthesis: the pipeline's own cost. */
    ZERO(new SessionConfig.Simulation(0, 0, 0, 1000.0, 0, 0.0, null, null, null)),
    /**
     * STT final 120 ms, LLM TTFT 300 ms, TTS TTFB 100 ms, VAD decision 0. Tokens at 100/s keep
     * {@code first_clause_delay} short (a short first clause is ~5 tokens, ~50 ms) and synthesis at a tenth of
     * real time keeps the reply audio ahead of playback.
     */
    KNOWN(new SessionConfig.Simulation(0, Known.STT_FINAL_MS, Known.LLM_TTFT_MS, Known.LLM_TOKENS_PER_SECOND,
            Known.TTS_TTFB_MS, Known.TTS_REAL_TIME_FACTOR, null, null, null)),
    /**
     * The capacity benchmark's engines: STT final 120 ms, LLM TTFT 300 ms at 40 tokens/s (a real model's pace), TTS
     * TTFB 100 ms, synthesis at {@link Known#TTS_REAL_TIME_FACTOR} of real time, VAD decision 0.
     */
    REALISTIC(new SessionConfig.Simulation(0, Known.STT_FINAL_MS, Known.LLM_TTFT_MS, 40.0, Known.TTS_TTFB_MS,
            Known.TTS_REAL_TIME_FACTOR, null, null, null));

    /** The figures of {@link #KNOWN}, for tests that compare a report with them. */
    public static final class Known {
        public static final int STT_FINAL_MS = 120;
        public static final int LLM_TTFT_MS = 300;
        public static final double LLM_TOKENS_PER_SECOND = 100.0;
        public static final int TTS_TTFB_MS = 100;
        public static final double TTS_REAL_TIME_FACTOR = 0.1;

        private Known() {
        }
    }

    private final SessionConfig.Simulation simulation;

    Timings(SessionConfig.Simulation simulation) {
        this.simulation = simulation;
    }

    /** The {@code simulation} to send, null for {@link #DEFAULT}. */
    public SessionConfig.Simulation simulation() {
        return simulation;
    }

    /** This timing set with a scripted transcript and reply (null keeps the engines' own). */
    public SessionConfig.Simulation simulation(String transcript, String reply) {
        SessionConfig.Simulation base = simulation != null ? simulation : SessionConfig.Simulation.none();
        return new SessionConfig.Simulation(base.vadDecisionDelayMs(), base.sttFinalDelayMs(), base.llmTtftMs(),
                base.llmTokensPerSecond(), base.ttsTtfbMs(), base.ttsRealTimeFactor(), transcript, reply,
                base.fault());
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Timings parse(String value) {
        for (Timings timings : values()) {
            if (timings.label().equalsIgnoreCase(value.trim())) {
                return timings;
            }
        }
        throw new IllegalArgumentException("unknown timings '" + value + "' (zero, known, realistic or default)");
    }
}

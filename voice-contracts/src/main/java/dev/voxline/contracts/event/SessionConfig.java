package dev.voxline.contracts.event;

/**
 * A session's resolved configuration, sent by the gateway on voice.control in {@code session.started} so every
 * stage applies the same settings. {@code simulation} is null unless the gateway allows test settings.
 */
public record SessionConfig(int inputSampleRate, int outputSampleRate, String vadProfile, Engines engines,
                            String voice, Simulation simulation) {

    public static final String DEFAULT_VAD_PROFILE = "low-latency";

    /** Engine names per stage; a null name means the stage's own configured default ({@code voxline.<stage>.engine}). */
    public record Engines(String vad, String stt, String llm, String tts) {
        public static final String SIMULATED = "simulated";

        public static Engines unnamed() {
            return new Engines(null, null, null, null);
        }

        public static Engines simulated() {
            return new Engines(SIMULATED, SIMULATED, SIMULATED, SIMULATED);
        }

        public Engines withDefaults(Engines defaults) {
            return new Engines(vad != null ? vad : defaults.vad, stt != null ? stt : defaults.stt,
                    llm != null ? llm : defaults.llm, tts != null ? tts : defaults.tts);
        }
    }

    /**
     * Simulated-engine timings and fault modes for tests and benchmarks. Every field is optional; null keeps the
     * engine's configured default. Times in milliseconds.
     *
     * @param vadDecisionDelayMs extra time between the end of the silence window and announcing the pause
     * @param sttFinalDelayMs    time from the pause to the final transcript
     * @param llmTtftMs          time from the final transcript to the first token
     * @param llmTokensPerSecond token rate after the first token
     * @param ttsTtfbMs          time from a clause to its first audio chunk
     * @param ttsRealTimeFactor  synthesis time ÷ audio duration after the first chunk (0 = instant)
     * @param transcript         what the simulated STT "hears" (it cannot recognise words)
     * @param reply              what the simulated LLM answers instead of its default echo
     * @param fault              a fault to inject: {@code stt.fail}, {@code llm.fail}, {@code tts.fail}
     */
    public record Simulation(Integer vadDecisionDelayMs, Integer sttFinalDelayMs, Integer llmTtftMs,
                             Double llmTokensPerSecond, Integer ttsTtfbMs, Double ttsRealTimeFactor,
                             String transcript, String reply, String fault) {

        private static final Simulation NONE = new Simulation(null, null, null, null, null, null, null, null, null);

        /** No overrides: every engine uses its configured defaults. */
        public static Simulation none() {
            return NONE;
        }

        public static Simulation orNone(Simulation simulation) {
            return simulation != null ? simulation : NONE;
        }

        public boolean hasFault(String name) {
            return name.equals(fault);
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(16_000, 16_000, DEFAULT_VAD_PROFILE, Engines.unnamed(), null, null);
    }

    public Simulation simulationOrEmpty() {
        return Simulation.orNone(simulation);
    }
}

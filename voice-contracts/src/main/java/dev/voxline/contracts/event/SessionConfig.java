package dev.voxline.contracts.event;

/**
 * A session's resolved configuration, sent by the gateway on voice.control in {@code session.started} so every
 * stage applies the same settings. {@code simulation} is null unless the gateway allows test settings.
 */
public record SessionConfig(int inputSampleRate, int outputSampleRate, String vadProfile, Engines engines,
                            String voice, Simulation simulation, TurnTaking turnTaking) {

    public static final String DEFAULT_VAD_PROFILE = "low-latency";

    /** A configuration without turn-taking overrides: every stage uses its configured defaults. */
    public SessionConfig(int inputSampleRate, int outputSampleRate, String vadProfile, Engines engines, String voice,
                         Simulation simulation) {
        this(inputSampleRate, outputSampleRate, vadProfile, engines, voice, simulation, null);
    }

    /**
     * How the agent takes turns with this caller (docs/protocol.md, {@code session.start}). Every field is optional;
     * null keeps the owning service's configured default. Times in milliseconds.
     *
     * @param minInterruptionMs          caller speech over the agent that pauses its reply (vad-service)
     * @param minInterruptionWords       words (not backchannels) that make a pause a real interruption (llm-service)
     * @param falseInterruptionTimeoutMs a pause that yields no words within this resumes the reply (llm-service)
     * @param minEndpointingDelayMs      least silence before the end of the caller's turn is decided (llm-service)
     * @param maxEndpointingDelayMs      most silence the decision waits for a thought to go on (llm-service)
     * @param preemptiveGeneration       start the reply when silence begins, before the end of turn is decided
     * @param userIdleTimeoutMs          silence of the caller, after the agent finished speaking (or since the
     *                                   session started), after which the agent asks whether they are still there
     *                                   (llm-service; a few times in a row at most, then it waits); 0 = never
     * @param echoGate                   the gateway ignores caller audio that is only the agent's own voice
     */
    public record TurnTaking(Integer minInterruptionMs, Integer minInterruptionWords,
                             Integer falseInterruptionTimeoutMs, Integer minEndpointingDelayMs,
                             Integer maxEndpointingDelayMs, Boolean preemptiveGeneration, Integer userIdleTimeoutMs,
                             Boolean echoGate) {

        private static final TurnTaking NONE = new TurnTaking(null, null, null, null, null, null, null, null);

        public static TurnTaking none() {
            return NONE;
        }

        public static TurnTaking orNone(TurnTaking turnTaking) {
            return turnTaking != null ? turnTaking : NONE;
        }
    }

    public TurnTaking turnTakingOrDefaults() {
        return TurnTaking.orNone(turnTaking);
    }

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

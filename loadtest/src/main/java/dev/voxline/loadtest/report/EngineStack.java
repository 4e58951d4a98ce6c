package dev.voxline.loadtest.report;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The engines a benchmark's turns ran on, as the stack reported them: STT, LLM (and its model) and TTS (and its voice)
 * from each turn's {@code turn.metrics}; the VAD, which {@code turn.metrics} does not name, from what the sessions
 * asked for ({@code null}: nothing asked, the server's default). A stage whose turns named different engines (a
 * fallback took over) holds the names joined with {@value #MIXED}; one no turn named is {@code null}.
 */
public record EngineStack(String vad, String stt, String llm, String llmModel, String tts, String ttsVoice) {

    static final String MIXED = " / ";
    static final String BUILTIN_LLM = "builtin";

    /** The stack of these turns; {@code requestedVad} is the VAD engine the sessions named, or null. */
    public static EngineStack of(List<TurnResult> turns, String requestedVad) {
        return new EngineStack(requestedVad, reported(turns, VoiceEvent.TurnMetrics::sttEngine),
                reported(turns, VoiceEvent.TurnMetrics::llmEngine), reported(turns, VoiceEvent.TurnMetrics::llmModel),
                reported(turns, VoiceEvent.TurnMetrics::ttsEngine), reported(turns, VoiceEvent.TurnMetrics::ttsVoice));
    }

    /** "Silero VAD + Vosk STT + built-in assistant (not an LLM) + MaryTTS". */
    public String label() {
        return String.join(" + ", vadLabel(), sttLabel(), llmLabel(), ttsLabel());
    }

    /** The answer came from a language model: an LLM engine that is neither the built-in assistant nor simulated. */
    public boolean languageModel() {
        return real(llm) && !llm.equals(BUILTIN_LLM);
    }

    /** The built-in assistant answered every turn. */
    public boolean builtinAssistant() {
        return BUILTIN_LLM.equals(llm);
    }

    public boolean realStt() {
        return real(stt);
    }

    public boolean realTts() {
        return real(tts);
    }

    /** The VAD the sessions named is a real engine (an unnamed one is the server's default: unknown). */
    public boolean realVad() {
        return real(vad);
    }

    /** Why the guide's end-to-end tiers (which assume a real VAD, STT, LLM and TTS) do not apply, or null. */
    public String whyE2eNotGraded() {
        if (vad == null) {
            return "the VAD engine is not known (turn.metrics does not name it and the sessions did not ask for one)";
        }
        if (!realVad() || !realStt() || !realTts()) {
            return "not every stage ran a real engine (" + label() + ")";
        }
        if (builtinAssistant()) {
            return "the built-in assistant is not an LLM";
        }
        if (!languageModel()) {
            return "no language model answered (" + llmLabel() + ")";
        }
        return null;
    }

    String vadLabel() {
        if (vad == null) {
            return "the server's default VAD (not reported)";
        }
        return switch (vad) {
            case "silero" -> "Silero VAD";
            case "webrtc" -> "WebRTC VAD";
            case SessionConfig.Engines.SIMULATED -> "simulated VAD";
            default -> vad + " VAD";
        };
    }

    String sttLabel() {
        if (stt == null) {
            return "STT not reported";
        }
        return switch (stt) {
            case "vosk" -> "Vosk STT";
            case SessionConfig.Engines.SIMULATED -> "simulated STT";
            default -> stt + " STT";
        };
    }

    String llmLabel() {
        if (llm == null) {
            return "LLM not reported";
        }
        return switch (llm) {
            case BUILTIN_LLM -> "built-in assistant (not an LLM)";
            case SessionConfig.Engines.SIMULATED -> "simulated LLM (not an LLM)";
            default -> "LLM " + (llmModel != null ? llmModel + " via " : "") + llm;
        };
    }

    String ttsLabel() {
        if (tts == null) {
            return "TTS not reported";
        }
        String voice = ttsVoice != null ? " (voice " + ttsVoice + ")" : "";
        return switch (tts) {
            case "marytts" -> "MaryTTS" + voice;
            case SessionConfig.Engines.SIMULATED -> "simulated TTS";
            default -> tts + " TTS" + voice;
        };
    }

    private static boolean real(String engine) {
        return engine != null && !engine.contains(MIXED) && !engine.equals(SessionConfig.Engines.SIMULATED);
    }

    private static String reported(List<TurnResult> turns, Function<VoiceEvent.TurnMetrics, String> field) {
        Set<String> names = new LinkedHashSet<>();
        turns.stream().map(TurnResult::metrics).filter(Objects::nonNull).map(field).filter(Objects::nonNull)
                .forEach(names::add);
        return names.isEmpty() ? null : String.join(MIXED, names);
    }
}

package dev.voxline.loadtest.report;

import static dev.voxline.loadtest.report.LatencyBenchReportTests.engines;
import static dev.voxline.loadtest.report.LatencyBenchReportTests.metrics;
import static dev.voxline.loadtest.report.LatencyBenchReportTests.turn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TurnResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineStackTests {

    @Test
    void theLabelNamesWhatTheTurnsReportedAndTheVadAskedFor() {
        EngineStack stack = EngineStack.of(List.of(reported("vosk", "builtin", "marytts")), "silero");

        assertThat(stack.label()).isEqualTo("Silero VAD + Vosk STT + built-in assistant (not an LLM) + MaryTTS");
        assertThat(stack.builtinAssistant()).isTrue();
        assertThat(stack.languageModel()).isFalse();
        assertThat(stack.whyE2eNotGraded()).isEqualTo("the built-in assistant is not an LLM");
    }

    @Test
    void aLanguageModelIsNamedWithItsModelAndTtsWithItsVoice() {
        VoiceEvent.TurnMetrics m = engines(metrics(600.0, 300.0, 0.1, 1.0), "vosk", "openai", "marytts");
        VoiceEvent.TurnMetrics named = new VoiceEvent.TurnMetrics(m.v(), m.ts(), m.sessionId(), m.turnId(),
                m.eouDelay(), m.transcriptionDelay(), m.sttDuration(), m.sttAudioDuration(), m.sttRtf(), m.llmTtft(),
                m.firstClauseDelay(), m.llmDuration(), m.promptTokens(), m.completionTokens(), m.tokensPerSecond(),
                m.ttsTtfb(), m.ttsDuration(), m.ttsAudioDuration(), m.ttsCharacters(), m.transport(), m.e2e(),
                m.interrupted(), m.cancelled(), m.traceId(), m.reason(), m.vadInferenceMs(), m.vadInferenceCount(),
                "vosk", "openai", "localhost:11434", "qwen2.5:0.5b", "marytts", "cmu-slt-hsmm", null, null);

        EngineStack stack = EngineStack.of(List.of(turn("t", "hi", 600.0, named)), "webrtc");

        assertThat(stack.label()).isEqualTo("WebRTC VAD + Vosk STT + LLM qwen2.5:0.5b via openai + MaryTTS (voice "
                + "cmu-slt-hsmm)");
        assertThat(stack.languageModel()).isTrue();
        assertThat(stack.whyE2eNotGraded()).isNull();
    }

    @Test
    void engineNamesThatDifferBetweenTurnsAreListedAndNotTakenForARealEngine() {
        EngineStack stack = EngineStack.of(List.of(reported("vosk", "openai", "marytts"),
                reported("vosk", "openai", "simulated")), "silero");

        assertThat(stack.tts()).isEqualTo("marytts / simulated");
        assertThat(stack.realTts()).isFalse();
        assertThat(stack.whyE2eNotGraded()).startsWith("not every stage ran a real engine");
    }

    @Test
    void stagesNoTurnNamedAreSaidToBeUnreported() {
        EngineStack stack = EngineStack.of(List.of(turn("t", "hi", 600.0, metrics(600.0, 300.0, 0.1, 1.0)),
                turn("u", "hi", 600.0, null)), null);

        assertThat(stack.label()).isEqualTo("the server's default VAD (not reported) + STT not reported + LLM not "
                + "reported + TTS not reported");
        assertThat(stack.realStt()).isFalse();
    }

    private static TurnResult reported(String stt, String llm, String tts) {
        return turn("t", "hi", 600.0, engines(metrics(600.0, 300.0, 0.1, 1.0), stt, llm, tts));
    }
}

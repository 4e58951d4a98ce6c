package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded default's real local engines end to end through the broker: Silero VAD, Vosk STT, the built-in
 * assistant and MaryTTS — a spoken question in, a spoken reply out, and a complete turn report.
 */
class RealEnginesKafkaIntegrationTests {

    /** The first turn loads every model (Vosk, MaryTTS, Silero): generous. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aSpokenQuestionGetsASpokenAnswerFromTheRealEngines() throws Exception {
        Wav wav = Wav.resource("question-16k.wav"); // espeak-ng: "What time is it in Paris?"
        try (TestTalkClient client = TestTalkClient.connect(SharedStack.gatewayPort())) {
            client.sendJson("{\"type\":\"session.start\"}");
            client.await(VoiceEvent.SessionStarted.class, TIMEOUT);
            client.streamPcm(wav.pcm(), wav.sampleRate(), 20, 1.0);
            client.streamPcm(new byte[wav.sampleRate() * 3], wav.sampleRate(), 20, 1.0);

            VoiceEvent.TranscriptFinal transcript = client.await(VoiceEvent.TranscriptFinal.class, TIMEOUT);
            assertThat(transcript.text().toLowerCase()).contains("time");
            VoiceEvent.ReplyDone reply = client.await(VoiceEvent.ReplyDone.class, TIMEOUT);
            assertThat(reply.text()).isNotBlank();
            client.await(VoiceEvent.AudioDone.class, TIMEOUT);
            assertThat(Pcm.rmsDbfs(client.audioBytes())).as("MaryTTS speech, not silence").isGreaterThan(-45);
            VoiceEvent.TurnMetrics report = client.await(VoiceEvent.TurnMetrics.class, TIMEOUT);
            assertThat(report.reason()).isNull();
            assertThat(report.e2e()).isPositive();
            assertThat(report.sttRtf()).isPositive();
            assertThat(report.ttsTtfb()).isPositive();
            assertThat(client.events(VoiceEvent.Error.class)).isEmpty();
            System.out.printf("real engines: \"%s\" -> \"%s\"; e2e %.0f ms, eou %.0f, stt_rtf %.2f, llm_ttft %.0f, "
                            + "tts_ttfb %.0f, transport %.1f%n", transcript.text(), reply.text(), report.e2e(),
                    report.eouDelay(), report.sttRtf(), report.llmTtft(), report.ttsTtfb(), report.transport());
        }
    }
}

package dev.voxline.stt.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.stt.engine.SimulatedSttEngine;
import dev.voxline.stt.engine.SpokenPhrases;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.VoskFixture;
import dev.voxline.stt.engine.VoskSttEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/** The stage with the real Vosk engine, picked by the session's configuration while the default stays simulated. */
class VoskSttStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_v", 3, null);

    private final RecordingTransport transport = new RecordingTransport();
    private final VoskSttEngine vosk = VoskFixture.engine();
    private SttStage stage;
    private long seq;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        stage = new SttStage(transport, RecordingTransport.noTopics(), "stt-service",
                EngineRegistry.<SttEngine>builder("STT")
                        .add(new SimulatedSttEngine(50, 500, 400, Schedulers.parallel())).add(vosk).build("simulated"),
                WallClock::micros);
        stage.start();
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines(null, "vosk", null, null), null, null)));
    }

    @AfterEach
    void stop() {
        stage.stop();
    }

    @Test
    void aSpokenUtteranceBecomesItsTranscriptWithARealRtf() throws Exception {
        byte[] pcm = SpokenPhrases.speak(dir, "please call my mother tomorrow morning", 0.3);
        long started = System.nanoTime();
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 0, 0));
        audio("turn_1", SpokenPhrases.frames(pcm));
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 2_000, seq - 1, 1_700_000_000_000_000L));

        await().atMost(Duration.ofSeconds(60)).until(() -> !transport.types(Topics.METRICS).isEmpty());
        double wallMs = (System.nanoTime() - started) / 1e6;

        VoiceEvent.TranscriptFinal fin = transport.events(Topics.TRANSCRIPTS).stream()
                .filter(VoiceEvent.TranscriptFinal.class::isInstance).map(VoiceEvent.TranscriptFinal.class::cast)
                .findFirst().orElseThrow();
        assertThat(SpokenPhrases.wordsRecalled(SpokenPhrases.words("please call my mother tomorrow morning"),
                SpokenPhrases.words(fin.text()))).isGreaterThanOrEqualTo(5);
        assertThat(fin.turnId()).isEqualTo("turn_1");
        assertThat(fin.speechEndUs()).isEqualTo(1_700_000_000_000_000L);
        assertThat(transport.types(Topics.TRANSCRIPTS)).contains("transcript.interim", "speech.ended");
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("error").contains("transcript.final");

        VoiceEvent.SttMetrics metrics = (VoiceEvent.SttMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.audioDurationMs()).isEqualTo(SpokenPhrases.durationMs(pcm));
        // Decoding time ÷ audio: positive, and no more than the wall time the whole utterance took here.
        assertThat(metrics.rtf()).isPositive();
        assertThat(metrics.rtf() * metrics.audioDurationMs()).isLessThanOrEqualTo(wallMs);
        System.out.printf(Locale.ROOT, "Vosk through the stage: \"%s\", rtf %.3f, pause → final %.1f ms%n",
                fin.text(), metrics.rtf(), metrics.durationMs());
        await().atMost(Duration.ofSeconds(10)).until(() -> vosk.openRecognizers() == 0);
    }

    @Test
    void theSessionsEndFreesItsRecognizer() throws Exception {
        List<byte[]> frames = SpokenPhrases.frames(SpokenPhrases.speak(dir, "set an alarm for seven thirty", 0.3));
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 0, 0));
        audio("turn_1", frames.subList(0, frames.size() / 2));
        await().atMost(Duration.ofSeconds(60)).until(() -> vosk.openRecognizers() == 1);

        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));

        await().atMost(Duration.ofSeconds(10)).until(() -> vosk.openRecognizers() == 0);
        assertThat(stage.activeSessions()).isZero();
        assertThat(transport.types(Topics.TRANSCRIPTS)).doesNotContain("transcript.final");
    }

    private void speech(VoiceEvent event) {
        transport.deliverEvent(Topics.SPEECH, ROUTE, event);
    }

    private void audio(String turnId, List<byte[]> frames) {
        for (byte[] frame : frames) {
            transport.deliverAudio(Topics.SPEECH, ROUTE, frame, Map.of(VoxHeaders.TURN, turnId,
                    VoxHeaders.SEQ, Long.toString(seq++), VoxHeaders.SAMPLE_RATE, "16000"));
        }
    }
}

package dev.voxline.stt.stage;

import dev.voxline.kafka.testing.RecordingTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.stt.engine.SimulatedSttEngine;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.SttResult;
import dev.voxline.stt.engine.SttSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class SttStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_b", 7, null);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private SttStage stage;
    private long seq;

    @BeforeEach
    void start() {
        stage = new SttStage(transport, RecordingTransport.noTopics(), "stt-service",
                EngineRegistry.of("STT", new SimulatedSttEngine(50, 500, 400, clock)),
                () -> clock.now(java.util.concurrent.TimeUnit.MICROSECONDS));
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void utteranceBecomesInterimAndFinalTranscripts() {
        configure("turn the lights on", null);
        utterance("turn_1", 60);
        assertThat(transport.types(Topics.TRANSCRIPTS))
                .containsExactly("speech.started", "transcript.interim", "transcript.interim", "speech.ended");

        clock.advanceTimeBy(Duration.ofMillis(50));

        assertThat(transport.types(Topics.TRANSCRIPTS))
                .containsExactly("speech.started", "transcript.interim", "transcript.interim", "speech.ended",
                        "transcript.final");
        assertThat(transport.types(Topics.DOWNLINK))
                .containsExactly("transcript.interim", "transcript.interim", "transcript.final");
        VoiceEvent.TranscriptFinal fin = (VoiceEvent.TranscriptFinal) transport.events(Topics.TRANSCRIPTS).get(4);
        assertThat(fin.turnId()).isEqualTo("turn_1");
        assertThat(fin.text()).isEqualTo("turn the lights on");
        assertThat(fin.typed()).isFalse();
        assertThat(transport.sent).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void withoutConfigurationTheTextIsHonest() {
        utterance("turn_1", 40);
        clock.advanceTimeBy(Duration.ofMillis(50));
        VoiceEvent.TranscriptFinal fin = (VoiceEvent.TranscriptFinal) transport.events(Topics.TRANSCRIPTS).get(3);
        assertThat(fin.text()).isEqualTo("[simulated transcript of 0.8 s of speech]");
    }

    @Test
    void audioOfAnotherTurnIsNotHeard() {
        configure(null, null);
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 0, 0));
        audio("turn_other", 50);
        audio("turn_1", 10);
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 200, 9));
        clock.advanceTimeBy(Duration.ofMillis(50));
        assertThat(finals()).singleElement()
                .satisfies(e -> assertThat(e.text()).contains("0.2 s"));
    }

    @Test
    void failingEngineFailsOnlyThatTurn() {
        configure("hello", "stt.fail");
        utterance("turn_1", 10);
        clock.advanceTimeBy(Duration.ofMillis(50));
        assertThat(transport.types(Topics.TRANSCRIPTS)).containsExactly("speech.started", "speech.ended");
        assertThat(transport.types(Topics.METRICS)).isEmpty();
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.turnId()).isEqualTo("turn_1");
        assertThat(error.message()).startsWith("stt failed:");

        configure("hello again", null);
        utterance("turn_2", 10);
        clock.advanceTimeBy(Duration.ofMillis(50));
        assertThat(finals()).singleElement().satisfies(fin -> assertThat(fin.turnId()).isEqualTo("turn_2"));
    }

    @Test
    void sessionEndCancelsPendingFinal() {
        configure("hello", null);
        utterance("turn_1", 10);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(transport.types(Topics.TRANSCRIPTS)).containsExactly("speech.started", "speech.ended");
        assertThat(transport.downlink()).isEmpty();
        assertThat(transport.on(Topics.METRICS)).isEmpty();
        assertThat(stage.activeSessions()).isZero();
    }

    @Test
    void theFinalCarriesThePausesEndOfSpeechAndSttMetricsFollow() {
        configure("turn the lights on", null);
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 0, 0));
        audio("turn_1", 60);
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 1200, 59, 1_700_000_000_123_456L));
        clock.advanceTimeBy(Duration.ofMillis(50));

        VoiceEvent.TranscriptFinal fin = finals().get(0);
        assertThat(fin.speechEndUs()).isEqualTo(1_700_000_000_123_456L);
        assertThat(transport.events(Topics.DOWNLINK)).contains(fin);
        VoiceEvent.SpeechEnded forwarded = (VoiceEvent.SpeechEnded) transport.events(Topics.TRANSCRIPTS).stream()
                .filter(VoiceEvent.SpeechEnded.class::isInstance).findFirst().orElseThrow();
        assertThat(forwarded.speechEndUs()).isEqualTo(1_700_000_000_123_456L);
        assertThat(forwarded.lastVoicedSeq()).isEqualTo(59);

        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.stt");
        VoiceEvent.SttMetrics metrics = (VoiceEvent.SttMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.turnId()).isEqualTo("turn_1");
        assertThat(metrics.durationMs()).isEqualTo(50.0);      // the pause reaching STT → the final (virtual time)
        assertThat(metrics.audioDurationMs()).isEqualTo(1200.0);
        assertThat(metrics.rtf()).isEqualTo(50.0 / 1200.0);
        assertThat(metrics.streamed()).isTrue();
        assertThat(metrics.engine()).isEqualTo("simulated");
        assertThat(metrics.hopMs()).isEqualTo(-1);             // the fake sets no send time
        assertThat(transport.on(Topics.METRICS)).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void aTurnThatResumesBeforeItsFinalGetsAFinalPerSegment() {
        configure("hello", null);
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 0, 0));
        audio("turn_1", 10);
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 200, 9, 111));
        clock.advanceTimeBy(Duration.ofMillis(20)); // the first final is still pending
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1", 400, 20));
        audio("turn_1", 20);
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 800, 39, 222));
        clock.advanceTimeBy(Duration.ofMillis(100));

        assertThat(finals()).extracting(VoiceEvent.TranscriptFinal::speechEndUs).containsExactly(111L, 222L);
        assertThat(finals()).extracting(VoiceEvent::turnId).containsOnly("turn_1");
        assertThat(transport.events(Topics.METRICS)).extracting(e -> ((VoiceEvent.SttMetrics) e).audioDurationMs())
                .containsExactly(200.0, 400.0);
    }

    @Test
    void anUnknownEngineNameIsReportedAndTheDefaultServesTheSession() {
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines(null, "whisper", null, null), null, scripted("hello there"))));

        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.code()).isEqualTo("stage_failed");
        assertThat(error.message()).isEqualTo("stt failed: unknown STT engine 'whisper'; available: simulated; "
                + "using the default engine 'simulated'");

        utterance("turn_1", 10);
        clock.advanceTimeBy(Duration.ofMillis(50));
        assertThat(finals()).singleElement().satisfies(fin -> assertThat(fin.text()).isEqualTo("hello there"));
    }

    @Test
    void eachSessionUsesTheEngineItNamesAndItsProcessingTimeMakesTheRtf() {
        stage.stop();
        SttEngine other = new SttEngine() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public Flux<SttResult> transcribe(Flux<byte[]> audio, SttSettings settings) {
                return audio.then(Mono.just(SttResult.finalResult("from the other engine", 30.0))).flux();
            }
        };
        stage = new SttStage(transport, RecordingTransport.noTopics(), "stt-service",
                EngineRegistry.<SttEngine>builder("STT").add(new SimulatedSttEngine(50, 500, 400, clock)).add(other)
                        .build("simulated"),
                () -> clock.now(java.util.concurrent.TimeUnit.MICROSECONDS));
        stage.start();
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines("simulated", "other", "simulated", "simulated"), null,
                scripted("not this"))));

        utterance("turn_1", 30); // 600 ms

        assertThat(finals()).singleElement().satisfies(fin -> assertThat(fin.text()).isEqualTo("from the other engine"));
        VoiceEvent.SttMetrics metrics = (VoiceEvent.SttMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.audioDurationMs()).isEqualTo(600.0);
        assertThat(metrics.rtf()).isEqualTo(30.0 / 600.0);
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("error");
    }

    private static SessionConfig.Simulation scripted(String transcript) {
        return new SessionConfig.Simulation(null, null, null, null, null, null, transcript, null, null);
    }

    private java.util.List<VoiceEvent.TranscriptFinal> finals() {
        return transport.events(Topics.TRANSCRIPTS).stream().filter(VoiceEvent.TranscriptFinal.class::isInstance)
                .map(VoiceEvent.TranscriptFinal.class::cast).toList();
    }

    private void utterance(String turnId, int frames) {
        long first = seq;
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), turnId, first * 20, first));
        audio(turnId, frames);
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), turnId, seq * 20, seq - 1));
    }

    private void speech(VoiceEvent event) {
        transport.deliverEvent(Topics.SPEECH, ROUTE, event);
    }

    private void audio(String turnId, int frames) {
        for (int i = 0; i < frames; i++) {
            transport.deliverAudio(Topics.SPEECH, ROUTE, new byte[640], Map.of(VoxHeaders.TURN, turnId,
                    VoxHeaders.SEQ, Long.toString(seq++), VoxHeaders.SAMPLE_RATE, "16000"));
        }
    }

    private void configure(String transcript, String fault) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency", SessionConfig.Engines.simulated(),
                null, new SessionConfig.Simulation(null, null, null, null, null, null, transcript, null, fault));
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

}

package dev.voxline.tts.stage;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import static org.assertj.core.api.Assertions.assertThat;


class TtsStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_d", 5, null);
    private static final TtsProperties PROPERTIES = new TtsProperties("simulated", 80, 0.2, 100, 60, 300, -10, 100);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private TtsStage stage;

    @BeforeEach
    void start() {
        stage = new TtsStage(transport, RecordingTransport.noTopics(), "tts-service",
                EngineRegistry.of("TTS", new SimulatedTtsEngine(PROPERTIES, clock)), PROPERTIES,
                () -> clock.now(java.util.concurrent.TimeUnit.MICROSECONDS), null);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void clausesAreSpokenInOrderThenSynthesisIsDone() {
        configure(24_000, null);
        clause("gen_1", 0, "Hello there.");            // 12 chars → 720 ms → 8 chunks
        clause("gen_1", 1, "How are you?");            // 12 chars → 8 chunks
        done("gen_1", 2, false);
        clock.advanceTimeBy(Duration.ofSeconds(5));

        List<RecordingTransport.Sent> downlink = transport.downlink();
        assertThat(transport.types(Topics.DOWNLINK)).hasSize(17).endsWith("synthesis.done");
        List<RecordingTransport.Sent> audio = downlink.stream().filter(RecordingTransport.Sent::isAudio).toList();
        assertThat(audio).hasSize(16).allSatisfy(chunk -> {
            assertThat(chunk.headers()).containsEntry(VoxHeaders.TURN, "turn_1")
                    .containsEntry(VoxHeaders.GENERATION, "gen_1")
                    .containsEntry(VoxHeaders.SAMPLE_RATE, "24000");
            assertThat(chunk.route()).isEqualTo(ROUTE);
        });
        assertThat(audio).extracting(chunk -> chunk.headers().get(VoxHeaders.TEXT)).containsExactly(
                "Hello there.", null, null, null, null, null, null, null,
                "How are you?", null, null, null, null, null, null, null);
        VoiceEvent.SynthesisDone synthesisDone = (VoiceEvent.SynthesisDone) downlink.get(16).event();
        assertThat(synthesisDone.cancelled()).isFalse();
        assertThat(synthesisDone.audioMs()).isEqualTo(1440);
        assertThat(synthesisDone.turnId()).isEqualTo("turn_1");
        assertThat(audio.stream().mapToLong(chunk -> chunk.pcm().length).sum())
                .isEqualTo(Pcm.frameBytes(24_000, 1440));
    }

    @Test
    void firstChunkComesAfterTheTtfbAndSynthesisWaitsForReplyDone() {
        clause("gen_1", 0, "Hello there.");
        clock.advanceTimeBy(Duration.ofMillis(79));
        assertThat(transport.sent).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("audio");
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("synthesis.done");
        done("gen_1", 1, false);
        assertThat(transport.types(Topics.DOWNLINK)).endsWith("synthesis.done");
    }

    @Test
    void clausesArrivingOutOfOrderAreSpokenInIndexOrder() {
        configure(16_000, new SessionConfig.Simulation(null, null, null, null, 0, 0.0, null, null, null));
        clause("gen_1", 1, "Second clause.");
        clause("gen_1", 0, "First clause.");
        done("gen_1", 2, false);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(transport.downlink().stream().filter(RecordingTransport.Sent::isAudio)
                .map(chunk -> chunk.headers().get(VoxHeaders.TEXT)).filter(t -> t != null).toList())
                .containsExactly("First clause.", "Second clause.");
    }

    @Test
    void interruptStopsTheTurnsAudio() {
        clause("gen_1", 0, "A rather long clause that takes a while to speak.");
        clock.advanceTimeBy(Duration.ofMillis(120)); // 3 chunks: 80, 100, 120 ms
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1", "client",
                "interrupt"));
        clock.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("audio", "audio", "audio", "synthesis.done");
        VoiceEvent.SynthesisDone synthesisDone = (VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(0);
        assertThat(synthesisDone.cancelled()).isTrue();
        assertThat(synthesisDone.audioMs()).isEqualTo(300);

        // the LLM's own cancelled done and late clauses for it change nothing
        clause("gen_1", 1, "Late.");
        done("gen_1", 1, true);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(transport.types(Topics.DOWNLINK)).hasSize(4);
    }

    @Test
    void cancelledReplyStopsTheSynthesis() {
        clause("gen_1", 0, "A rather long clause that takes a while to speak.");
        clock.advanceTimeBy(Duration.ofMillis(80));
        done("gen_1", 0, true);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("audio", "synthesis.done");
        assertThat(((VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(0)).cancelled()).isTrue();
    }

    @Test
    void replyWithoutClausesStillClosesTheTurn() {
        done("gen_1", 0, true);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("synthesis.done");
        VoiceEvent.SynthesisDone synthesisDone = (VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(0);
        assertThat(synthesisDone.cancelled()).isTrue();
        assertThat(synthesisDone.audioMs()).isZero();
    }

    @Test
    void engineFailureFailsTheTurnAndClosesIt() {
        configure(16_000, new SessionConfig.Simulation(null, null, null, null, null, null, null, null, "tts.fail"));
        clause("gen_1", 0, "Hello.");
        done("gen_1", 1, false);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error", "synthesis.done");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.turnId()).isEqualTo("turn_1");
        assertThat(error.message()).startsWith("tts failed:");
        assertThat(((VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(1)).cancelled()).isTrue();

        configure(16_000, null);
        clause("gen_2", 0, "Hello.");
        done("gen_2", 1, false);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(transport.types(Topics.DOWNLINK)).endsWith("audio", "synthesis.done");
    }

    @Test
    void sessionEndStopsEverythingSilently() {
        clause("gen_1", 0, "Hello there.");
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(transport.sent).isEmpty();
        assertThat(stage.activeSessions()).isZero();
    }

    @Test
    void ttsMetricsTimeTheFirstChunkFromTheFirstClausesArrival() {
        configure(24_000, null);
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        clause("gen_1", 0, "Hello there.");            // 720 ms of audio
        clock.advanceTimeBy(Duration.ofMillis(30));
        clause("gen_1", 1, "How are you?");            // 720 ms
        done("gen_1", 2, false);
        assertThat(transport.types(Topics.METRICS)).isEmpty();
        clock.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.tts");
        VoiceEvent.TtsMetrics metrics = (VoiceEvent.TtsMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.turnId()).isEqualTo("turn_1");
        assertThat(metrics.generationId()).isEqualTo("gen_1");
        assertThat(metrics.ttfbMs()).isEqualTo(80.0);
        // 16 chunks of 100 ms: the first at 80 ms, then one per 20 ms (real-time factor 0.2) → the last at 380 ms
        assertThat(metrics.durationMs()).isEqualTo(80.0 + 7 * 20 + 80 + 7 * 20);
        assertThat(metrics.audioDurationMs()).isEqualTo(1440.0);
        assertThat(metrics.charactersCount()).isEqualTo(24);
        assertThat(metrics.cancelled()).isFalse();
        assertThat(metrics.hopMs()).isEqualTo(-1); // the fake sets no send time
        assertThat(transport.on(Topics.METRICS)).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void anInterruptedSynthesisReportsCancelledMetrics() {
        clause("gen_1", 0, "A rather long clause that takes a while to speak.");
        clock.advanceTimeBy(Duration.ofMillis(120));
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1", "client",
                "interrupt"));
        VoiceEvent.TtsMetrics metrics = (VoiceEvent.TtsMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.cancelled()).isTrue();
        assertThat(metrics.ttfbMs()).isEqualTo(80.0);
        assertThat(metrics.durationMs()).isEqualTo(120.0);
        assertThat(metrics.audioDurationMs()).isEqualTo(300.0);
    }

    @Test
    void aReplyWithNothingToSpeakStillReportsTts() {
        done("gen_1", 0, true);
        VoiceEvent.TtsMetrics metrics = (VoiceEvent.TtsMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.ttfbMs()).isEqualTo(-1);
        assertThat(metrics.audioDurationMs()).isZero();
        assertThat(metrics.cancelled()).isTrue();
    }

    private void clause(String generationId, int index, String text) {
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyClause(ROUTE.sessionId(), "turn_1",
                generationId, index, text));
    }

    private void done(String generationId, int clauses, boolean cancelled) {
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyDone(ROUTE.sessionId(), "turn_1",
                generationId, "whatever", clauses, cancelled));
    }

    private void configure(int outputRate, SessionConfig.Simulation simulation) {
        SessionConfig config = new SessionConfig(16_000, outputRate, "low-latency", SessionConfig.Engines.simulated(),
                null, simulation);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.pcm16(outputRate), config));
    }
}

package dev.voxline.vad.stage;

import dev.voxline.kafka.testing.RecordingTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.vad.config.VadProperties;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.VadScore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

class VadStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_a", 4, null);
    private static final VadProperties PROPERTIES = new VadProperties("simulated", "low-latency", 200, 0, -50, -30);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private VadStage stage;
    private long seq;

    @BeforeEach
    void start() {
        startWith(new EnergyVadEngine(-50, -30));
    }

    private void startWith(VadEngine engine) {
        stage = new VadStage(transport, RecordingTransport.noTopics(), "vad-service", engine, PROPERTIES, clock);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void speechSegmentBecomesATurnOnSpeechAndDownlink() {
        frames(20, false);
        frames(30, true);
        frames(20, false);

        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started", "speech.ended");
        List<VoiceEvent> speechEvents = transport.events(Topics.SPEECH);
        assertThat(speechEvents).hasSize(2);
        VoiceEvent.SpeechStarted started = (VoiceEvent.SpeechStarted) speechEvents.get(0);
        VoiceEvent.SpeechEnded ended = (VoiceEvent.SpeechEnded) speechEvents.get(1);
        assertThat(started.seq()).isEqualTo(20);
        assertThat(started.audioMs()).isEqualTo(400);
        assertThat(ended.turnId()).isEqualTo(started.turnId()).startsWith("turn_");
        assertThat(ended.lastVoicedSeq()).isEqualTo(49);
        assertThat(ended.audioMs()).isEqualTo(1000);

        List<RecordingTransport.Sent> speech = transport.on(Topics.SPEECH);
        assertThat(speech.get(0).type()).isEqualTo("speech.started");
        assertThat(speech.get(speech.size() - 1).type()).isEqualTo("speech.ended");
        List<RecordingTransport.Sent> audio = speech.stream().filter(RecordingTransport.Sent::isAudio).toList();
        assertThat(audio).hasSize(10 + 30 + 15);
        assertThat(audio.get(0).headers()).containsEntry(VoxHeaders.SEQ, "10")
                .containsEntry(VoxHeaders.TURN, started.turnId())
                .containsEntry(VoxHeaders.SAMPLE_RATE, "16000");
        assertThat(transport.sent).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void everySegmentIsItsOwnTurn() {
        frames(10, false);
        frames(20, true);
        frames(20, false);
        frames(20, true);
        frames(20, false);

        List<VoiceEvent> events = transport.events(Topics.DOWNLINK);
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("SpeechStarted", "SpeechEnded", "SpeechStarted", "SpeechEnded");
        assertThat(events.get(0).turnId()).isEqualTo(events.get(1).turnId());
        assertThat(events.get(2).turnId()).isEqualTo(events.get(3).turnId()).isNotEqualTo(events.get(0).turnId());
    }

    @Test
    void decisionDelayFromTheSessionPostponesSpeechEnded() {
        configure(new SessionConfig.Simulation(250, null, null, null, null, null, null, null, null), "low-latency");
        frames(10, false);
        frames(20, true);
        frames(20, false);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started");
        long audioFrames = transport.on(Topics.SPEECH).stream().filter(RecordingTransport.Sent::isAudio).count();

        clock.advanceTimeBy(Duration.ofMillis(249));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started");
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started", "speech.ended");
        assertThat(transport.types(Topics.SPEECH)).endsWith("speech.ended");
        // no audio is forwarded after the silence window closed
        assertThat(transport.on(Topics.SPEECH).stream().filter(RecordingTransport.Sent::isAudio).count())
                .isEqualTo(audioFrames);
    }

    @Test
    void newSpeechDuringTheDecisionDelayAnnouncesThePauseFirst() {
        configure(new SessionConfig.Simulation(1000, null, null, null, null, null, null, null, null), "low-latency");
        frames(10, false);
        frames(20, true);
        frames(16, false);
        frames(10, true);
        assertThat(transport.types(Topics.DOWNLINK))
                .containsExactly("speech.started", "speech.ended", "speech.started");
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(transport.types(Topics.DOWNLINK))
                .containsExactly("speech.started", "speech.ended", "speech.started");
    }

    @Test
    void sessionProfileIsApplied() {
        configure(null, "high-accuracy");
        frames(10, false);
        frames(8, true);  // 160 ms: not speech for high-accuracy
        frames(30, false);
        assertThat(transport.sent).isEmpty();
    }

    @Test
    void failingEngineReportsAnErrorAndTheSessionGoesOn() {
        stage.stop();
        int[] calls = {0};
        EnergyVadEngine energy = new EnergyVadEngine(-50, -30);
        startWith(new VadEngine() {
            @Override
            public String name() {
                return "crashing-once";
            }

            @Override
            public Flux<VadScore> score(Flux<dev.voxline.vad.engine.AudioFrame> frames,
                                        dev.voxline.vad.engine.VadSettings settings) {
                return calls[0]++ == 0
                        ? frames.handle((frame, sink) -> sink.error(new IllegalStateException("model crashed")))
                        : energy.score(frames, settings);
            }
        });
        frames(1, true);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.code()).isEqualTo("stage_failed");
        assertThat(error.message()).contains("vad").contains("model crashed");

        frames(10, true);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error", "speech.started");
    }

    @Test
    void sessionEndStopsTheSession() {
        frames(10, true);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        assertThat(stage.activeSessions()).isZero();
    }

    private void configure(SessionConfig.Simulation simulation, String profile) {
        SessionConfig config = new SessionConfig(16_000, 16_000, profile, SessionConfig.Engines.simulated(), null,
                simulation);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    private void frames(int count, boolean voiced) {
        for (int i = 0; i < count; i++) {
            short[] samples = new short[Pcm.frameBytes(16_000, Pcm.FRAME_MS) / 2];
            if (voiced) {
                for (int s = 0; s < samples.length; s++) {
                    samples[s] = (short) (8000 * Math.sin(2 * Math.PI * 180 * s / 16_000.0));
                }
            }
            transport.deliverAudio(Topics.AUDIO_IN, ROUTE, Pcm.toBytes(samples),
                    Map.of(VoxHeaders.SEQ, Long.toString(seq++), VoxHeaders.ARRIVAL_US, "0",
                            VoxHeaders.AGENT_SPEAKING, "false"));
        }
    }
}

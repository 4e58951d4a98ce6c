package dev.voxline.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsProperties;
import dev.voxline.tts.engine.TtsSettings;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The engine per session: named in {@code session.started}, else the service's default; unknown → error. */
class TtsStageEngineSelectionTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_e", 2, null);
    private static final TtsProperties PROPERTIES = new TtsProperties("simulated", 80, 0.2, 100, 60, 300, -10, 100);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TtsStage stage;

    /** A second engine: one 50 ms chunk of a constant sample per clause after 30 ms, at the session's rate. */
    private final TtsEngine other = new TtsEngine() {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public Flux<byte[]> synthesize(String text, TtsSettings settings) {
            byte[] pcm = new byte[settings.sampleRate() / 20 * 2];
            for (int i = 0; i < pcm.length; i += 2) {
                pcm[i] = 0x34;
                pcm[i + 1] = 0x12;
            }
            return Mono.delay(Duration.ofMillis(30), clock).map(tick -> pcm).flux();
        }
    };

    @BeforeEach
    void start() {
        EngineRegistry<TtsEngine> engines = EngineRegistry.<TtsEngine>builder("TTS")
                .add(new SimulatedTtsEngine(PROPERTIES, clock)).add(other).build("simulated");
        stage = new TtsStage(transport, RecordingTransport.noTopics(), "tts-service", engines, PROPERTIES,
                () -> clock.now(TimeUnit.MICROSECONDS), meters);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void aSessionSpeaksWithTheEngineItNames() {
        configure("other");
        speak("gen_1", "Hello there.");
        List<RecordingTransport.Sent> audio = audio();
        assertThat(audio).hasSize(1);
        assertThat(audio.get(0).pcm()).hasSize(16_000 / 20 * 2).startsWith(0x34, 0x12);
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("error");
    }

    @Test
    void aSessionNamingNoEngineGetsTheDefault() {
        configure(null);
        speak("gen_1", "Hello there.");                 // simulated: 720 ms → 8 chunks of 100 ms
        assertThat(audio()).hasSize(8);
    }

    @Test
    void anUnknownEngineIsAnErrorForThatSessionWhichGoesOnWithTheDefault() {
        configure("festival");
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.message()).contains("unknown TTS engine 'festival'").contains("other, simulated")
                .contains("using the default engine 'simulated'");
        assertThat(error.code()).isEqualTo("stage_failed");

        speak("gen_1", "Hello there.");
        assertThat(audio()).hasSize(8);
        assertThat(transport.types(Topics.DOWNLINK)).endsWith("synthesis.done");
    }

    @Test
    void aSessionCanChangeEngineBetweenTurns() {
        configure("other");
        speak("gen_1", "One.");
        configure("simulated");
        speak("gen_2", "Two.");
        assertThat(audio()).extracting(sent -> sent.headers().get(VoxHeaders.GENERATION))
                .containsExactly("gen_1", "gen_2", "gen_2", "gen_2");
    }

    @Test
    void eachClausesTtfbIsTimedPerEngine() {
        configure("other");
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyClause(ROUTE.sessionId(), "turn_1",
                "gen_1", 0, "First."));
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyClause(ROUTE.sessionId(), "turn_1",
                "gen_1", 1, "Second."));
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyDone(ROUTE.sessionId(), "turn_1",
                "gen_1", "First. Second.", 2, false));
        clock.advanceTimeBy(Duration.ofSeconds(1));

        Timer timer = meters.get("voxline.tts.clause.ttfb").tag("engine", "other").timer();
        assertThat(timer.count()).isEqualTo(2);
        // each clause from when the engine starts it: 30 ms each, not 30 then 60
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
        VoiceEvent.TtsMetrics turn = (VoiceEvent.TtsMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(turn.ttfbMs()).isEqualTo(30.0);
        assertThat(turn.durationMs()).isEqualTo(60.0);
        assertThat(turn.engine()).isEqualTo("other");
    }

    private void speak(String generationId, String text) {
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyClause(ROUTE.sessionId(), "turn_1",
                generationId, 0, text));
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyDone(ROUTE.sessionId(), "turn_1",
                generationId, text, 1, false));
        clock.advanceTimeBy(Duration.ofSeconds(5));
    }

    private List<RecordingTransport.Sent> audio() {
        return transport.downlink().stream().filter(RecordingTransport.Sent::isAudio).toList();
    }

    private void configure(String ttsEngine) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines("simulated", "simulated", "simulated", ttsEngine), null, null);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.pcm16(16_000), config));
    }
}

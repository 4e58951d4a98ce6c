package dev.voxline.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** The stage with the real MaryTTS engine, named by the session, on the wall clock. */
class MaryTtsStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_m", 1, null);

    private final RecordingTransport transport = new RecordingTransport();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private MaryTtsEngine mary;
    private TtsStage stage;

    @BeforeEach
    void start() {
        mary = new MaryTtsEngine("cmu-slt-hsmm", 100, Schedulers.newBoundedElastic(2, 64, "marytts-stage-test"));
        // records of up to 4 chunks of 100 ms
        TtsProperties properties = new TtsProperties("simulated", 80, 0.2, 100, 60, 300, -10, 400);
        stage = new TtsStage(transport, RecordingTransport.noTopics(), "tts-service",
                EngineRegistry.<TtsEngine>builder("TTS").add(new SimulatedTtsEngine(properties, Schedulers.parallel()))
                        .add(mary).build("simulated"), properties, WallClock::micros, meters);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        mary.close();
    }

    @Test
    void aTurnOfTwoClausesIsSpokenAtTheSessionsRateAndTimed() {
        configure(24_000);
        clause(0, "Good afternoon.");
        clause(1, "It is a quarter past three.");
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyDone(ROUTE.sessionId(), "turn_1", "gen_1",
                "Good afternoon. It is a quarter past three.", 2, false));
        await().atMost(Duration.ofSeconds(60)).until(() -> transport.types(Topics.DOWNLINK)
                .contains("synthesis.done"));

        List<RecordingTransport.Sent> audio = transport.downlink().stream().filter(RecordingTransport.Sent::isAudio)
                .toList();
        assertThat(audio).allSatisfy(chunk -> assertThat(chunk.headers())
                .containsEntry(VoxHeaders.SAMPLE_RATE, "24000").containsEntry(VoxHeaders.TURN, "turn_1"));
        assertThat(audio).extracting(chunk -> chunk.headers().get(VoxHeaders.TEXT)).filteredOn(t -> t != null)
                .containsExactly("Good afternoon.", "It is a quarter past three.");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        audio.forEach(chunk -> all.writeBytes(chunk.pcm()));
        long audioMs = Pcm.durationMs(all.size(), 24_000);
        assertThat(audioMs).isBetween(1_500L, 6_000L);
        assertThat(Pcm.rmsDbfs(all.toByteArray())).isGreaterThan(-35);

        VoiceEvent.SynthesisDone done = (VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(0);
        assertThat(done.cancelled()).isFalse();
        assertThat(done.audioMs()).isEqualTo(audioMs);
        VoiceEvent.TtsMetrics metrics = (VoiceEvent.TtsMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.ttfbMs()).isPositive().isLessThan(metrics.durationMs());
        assertThat(metrics.audioDurationMs()).isEqualTo((double) all.size() * 1000 / (2 * 24_000));
        assertThat(meters.get("voxline.tts.clause.ttfb").tag("engine", "marytts").timer().count()).isEqualTo(2);
        System.out.printf("MaryTTS turn: tts_ttfb %.0f ms (start included if first in this JVM), clause ttfb max "
                        + "%.0f ms, %d ms of audio in %.0f ms%n", metrics.ttfbMs(),
                meters.get("voxline.tts.clause.ttfb").timer().max(TimeUnit.MILLISECONDS), audioMs,
                metrics.durationMs());
    }

    @Test
    void anInterruptStopsMaryBetweenSentences() {
        configure(16_000);
        clause(0, "This is the first sentence. This is the second one. And here comes a third. A fourth. A fifth.");
        await().atMost(Duration.ofSeconds(60)).until(() -> !transport.downlink().isEmpty());
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1", "client",
                "interrupt"));
        int sentAtInterrupt = transport.downlink().size();
        assertThat(transport.types(Topics.DOWNLINK)).endsWith("synthesis.done");
        // nothing more after the interrupt: give MaryTTS time to finish a sentence it was in
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(transport.downlink()).hasSize(sentAtInterrupt);
        assertThat(((VoiceEvent.SynthesisDone) transport.events(Topics.DOWNLINK).get(0)).cancelled()).isTrue();
    }

    private void clause(int index, String text) {
        transport.deliverEvent(Topics.REPLIES, ROUTE, new VoiceEvent.ReplyClause(ROUTE.sessionId(), "turn_1", "gen_1",
                index, text));
    }

    private void configure(int outputRate) {
        SessionConfig config = new SessionConfig(16_000, outputRate, "low-latency",
                new SessionConfig.Engines("simulated", "simulated", "simulated", MaryTtsEngine.NAME), null, null);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.pcm16(outputRate), config));
    }
}

package dev.voxline.vad.stage;

import dev.voxline.kafka.testing.RecordingTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.PackedFrames;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.VadScore;
import dev.voxline.vad.engine.SileroVadEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
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
    private static final VadProperties PROPERTIES = new VadProperties("simulated", "low-latency", 200, 0, -50, -30,
            VadProperties.Silero.defaults(), VadProperties.WebRtc.defaults(), 20, 10);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private VadStage stage;
    private long seq;

    @BeforeEach
    void start() {
        startWith(new EnergyVadEngine(-50, -30));
    }

    private void startWith(VadEngine engine) {
        stage = new VadStage(transport, RecordingTransport.noTopics(), "vad-service", EngineRegistry.of("VAD", engine),
                PROPERTIES, clock);
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
    void speechAfterAPauseContinuesTheTurnUntilItIsCommitted() {
        frames(10, false);
        frames(20, true);
        frames(20, false);
        frames(20, true);
        frames(20, false);

        List<VoiceEvent> events = transport.events(Topics.DOWNLINK);
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("SpeechStarted", "SpeechEnded", "SpeechStarted", "SpeechEnded");
        assertThat(events).extracting(VoiceEvent::turnId).containsOnly(events.get(0).turnId());
        List<RecordingTransport.Sent> audio = transport.on(Topics.SPEECH).stream()
                .filter(RecordingTransport.Sent::isAudio).toList();
        assertThat(audio).allSatisfy(frame -> assertThat(frame.headers())
                .containsEntry(VoxHeaders.TURN, events.get(0).turnId()));
    }

    @Test
    void speechAfterTheCommitStartsANewTurn() {
        frames(10, false);
        frames(20, true);
        frames(20, false);
        String first = transport.events(Topics.DOWNLINK).get(0).turnId();
        commit("turn_someone_else");
        frames(20, true);
        frames(20, false);
        assertThat(transport.events(Topics.DOWNLINK).get(2).turnId()).isEqualTo(first);

        commit(first);
        frames(20, true);
        frames(20, false);

        List<VoiceEvent> events = transport.events(Topics.DOWNLINK);
        assertThat(events).hasSize(6);
        assertThat(events.get(4)).isInstanceOf(VoiceEvent.SpeechStarted.class);
        assertThat(events.get(4).turnId()).startsWith("turn_").isNotEqualTo(first);
        assertThat(events.get(5).turnId()).isEqualTo(events.get(4).turnId());
    }

    @Test
    void aCommitWhileTheCallerSpeaksKeepsTheSegmentInItsTurn() {
        frames(10, false);
        frames(20, true);
        frames(20, false);
        String first = transport.events(Topics.DOWNLINK).get(0).turnId();
        frames(10, true); // speech resumes before the commit arrives
        commit(first);
        frames(10, true);
        frames(20, false);
        assertThat(transport.events(Topics.DOWNLINK)).extracting(VoiceEvent::turnId).containsOnly(first);

        commit(first); // llm-service commits again on the resumed segment's transcript
        frames(20, true);
        assertThat(transport.events(Topics.DOWNLINK).get(4).turnId()).isNotEqualTo(first);
    }

    @Test
    void thePauseCarriesTheLastVoicedFramesArrivalAndVadMetrics() {
        frames(10, false);
        frames(20, true);    // seq 10..29
        frames(20, false);

        VoiceEvent.SpeechEnded ended = (VoiceEvent.SpeechEnded) transport.events(Topics.SPEECH).get(1);
        assertThat(ended.lastVoicedSeq()).isEqualTo(29);
        assertThat(ended.speechEndUs()).isEqualTo(arrivalUs(29));
        assertThat(transport.events(Topics.DOWNLINK).get(1)).isEqualTo(ended);

        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.vad");
        VoiceEvent.VadMetrics metrics = (VoiceEvent.VadMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.sessionId()).isEqualTo(ROUTE.sessionId());
        assertThat(metrics.turnId()).isEqualTo(ended.turnId());
        assertThat(metrics.lastVoicedSeq()).isEqualTo(29);
        assertThat(metrics.speechEndUs()).isEqualTo(arrivalUs(29));
        // frames scored from the confirming one (the 5th voiced, seq 14) to the pause decision (15th silent)
        assertThat(metrics.inferenceCount()).isEqualTo(16 + 15);
        assertThat(metrics.inferenceDurationTotalMs()).isPositive();
        assertThat(metrics.hopMs()).isEqualTo(-1); // the fake sent no send-time header
        assertThat(transport.on(Topics.METRICS)).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void packedInputRecordsAreScoredFrameByFrameAndSpeechAudioIsPackedUntilThePause() {
        restartWith(new EnergyVadEngine(-50, -30), speechRecords(100, 1));
        // 60 ms uplink records: 10 silent frames, 21 voiced (seq 10..30), 20 silent, three frames per record
        boolean[] voiced = new boolean[51];
        for (int i = 10; i <= 30; i++) {
            voiced[i] = true;
        }
        for (int first = 0; first + 3 <= voiced.length; first += 3) {
            java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
            long[] arrivals = new long[3];
            for (int i = 0; i < 3; i++) {
                pcm.writeBytes(frame(voiced[first + i]));
                arrivals[i] = arrivalUs(first + i);
            }
            transport.deliverAudio(Topics.AUDIO_IN, ROUTE, pcm.toByteArray(), Map.of(
                    VoxHeaders.SEQ, Long.toString(first),
                    VoxHeaders.ARRIVAL_US, PackedFrames.arrivalsHeader(arrivals),
                    VoxHeaders.AGENT_SPEAKING, "false"));
        }

        List<VoiceEvent> events = transport.events(Topics.SPEECH);
        VoiceEvent.SpeechStarted started = (VoiceEvent.SpeechStarted) events.get(0);
        VoiceEvent.SpeechEnded ended = (VoiceEvent.SpeechEnded) events.get(1);
        assertThat(started.seq()).isEqualTo(10);
        assertThat(ended.lastVoicedSeq()).isEqualTo(30);
        assertThat(ended.speechEndUs()).isEqualTo(arrivalUs(30)); // the frame's own arrival, not its record's
        List<RecordingTransport.Sent> speech = transport.on(Topics.SPEECH);
        assertThat(speech.get(speech.size() - 1).type()).isEqualTo("speech.ended");
        List<RecordingTransport.Sent> audio = speech.stream().filter(RecordingTransport.Sent::isAudio).toList();
        // pre-roll (frames 0..9) + 21 voiced + 15 silent frames of the window = 46 frames: nine 100 ms records,
        // and the pause sends the last frame on its own before speech.ended
        assertThat(audio).hasSize(10);
        assertThat(audio.subList(0, 9)).allSatisfy(record ->
                assertThat(record.pcm()).hasSize(5 * PackedFrames.FRAME_BYTES));
        assertThat(audio.get(9).pcm()).hasSize(PackedFrames.FRAME_BYTES);
        assertThat(audio).extracting(record -> record.headers().get(VoxHeaders.SEQ))
                .containsExactly("0", "5", "10", "15", "20", "25", "30", "35", "40", "45");
    }

    @Test
    void vadMetricsCarryTheHopOfTheLastVoicedFrame() {
        stage.stop();
        HopTransport hops = new HopTransport(transport);
        stage = new VadStage(hops, RecordingTransport.noTopics(), "vad-service",
                EngineRegistry.of("VAD", new EnergyVadEngine(-50, -30)), PROPERTIES, clock);
        stage.start();
        hops.deliver(new dev.voxline.kafka.VoiceRecord(Topics.CONTROL, 0, 0, ROUTE.sessionId(), Map.of(
                VoxHeaders.TYPE, "session.started", VoxHeaders.DOWNLINK, "4"),
                dev.voxline.contracts.JsonCodec.get().encode(new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                        dev.voxline.contracts.audio.AudioFormat.PIPELINE,
                        dev.voxline.contracts.audio.AudioFormat.PIPELINE,
                        dev.voxline.contracts.event.SessionConfig.defaults())), 0));
        for (int i = 0; i < 40; i++) {
            boolean voiced = i >= 5 && i < 15;
            long sent = 5_000_000 + i * 20_000L;
            long hop = voiced ? 1_000 + i : 7;  // µs
            hops.deliver(new dev.voxline.kafka.VoiceRecord(Topics.AUDIO_IN, 0, i, ROUTE.sessionId(), Map.of(
                    VoxHeaders.TYPE, VoxHeaders.AUDIO_TYPE, VoxHeaders.DOWNLINK, "4",
                    VoxHeaders.SEQ, Long.toString(i), VoxHeaders.ARRIVAL_US, Long.toString(sent - 100),
                    VoxHeaders.SENT_US, Long.toString(sent)), frame(voiced), sent + hop));
        }
        VoiceEvent.VadMetrics metrics = (VoiceEvent.VadMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(metrics.lastVoicedSeq()).isEqualTo(14);
        assertThat(metrics.hopMs()).isEqualTo(1.014);
        assertThat(metrics.speechEndUs()).isEqualTo(5_000_000 + 14 * 20_000L - 100);
    }

    @Test
    void speechOverTheAgentsVoicePausesItsReplyAndTheSameSpeechOverSilenceDoesNot() {
        frames(10, false);
        frames(40, true); // 800 ms, over the 500 ms minimum, while the gateway reports the agent silent
        frames(20, false);
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("interrupt.pending");

        frames(40, true, true);
        frames(20, false);
        assertThat(transport.types(Topics.DOWNLINK)).containsOnlyOnce("interrupt.pending");
        assertThat(transport.types(Topics.CONTROL)).containsOnlyOnce("interrupt.pending");
    }

    @Test
    void decisionDelayFromTheSessionPostponesSpeechEnded() {
        configure(new SessionConfig.Simulation(250, null, null, null, null, null, null, null, null), "low-latency");
        frames(10, false);
        frames(20, true);
        frames(20, false);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started");
        assertThat(transport.types(Topics.METRICS)).isEmpty();
        long audioFrames = transport.on(Topics.SPEECH).stream().filter(RecordingTransport.Sent::isAudio).count();

        clock.advanceTimeBy(Duration.ofMillis(249));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started");
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started", "speech.ended");
        assertThat(transport.types(Topics.SPEECH)).endsWith("speech.ended");
        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.vad");
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
        startWith(engine("crashing-once", (frames, settings) -> calls[0]++ == 0
                ? frames.handle((frame, sink) -> sink.error(new IllegalStateException("model crashed")))
                : energy.score(frames, settings)));
        frames(1, true);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.code()).isEqualTo("stage_failed");
        assertThat(error.message()).contains("vad").contains("model crashed");

        frames(10, true);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error", "speech.started");
    }

    @Test
    void belowTheBusyThresholdEverySpeechFrameGoesAtOnce() {
        restartWith(new EnergyVadEngine(-50, -30), speechRecords(100, 10));
        frames(20, false);
        frames(30, true);
        frames(20, false);

        List<RecordingTransport.Sent> audio = transport.on(Topics.SPEECH).stream()
                .filter(RecordingTransport.Sent::isAudio).toList();
        assertThat(audio).hasSize(10 + 30 + 15)
                .allSatisfy(record -> assertThat(record.pcm()).hasSize(PackedFrames.FRAME_BYTES));
    }

    @Test
    void packedSpeechAudioOfASegmentTheDetectorAbandonedIsNotSentWithTheNextTurn() {
        int[] calls = {0};
        EnergyVadEngine energy = new EnergyVadEngine(-50, -30);
        VadEngine crashingAtFrame8 = engine("crashing-at-frame-8", (frames, settings) -> {
            Flux<VadScore> scores = energy.score(frames, settings);
            return calls[0]++ > 0 ? scores : scores.index().handle((indexed, sink) -> {
                if (indexed.getT1() == 7) {
                    sink.error(new IllegalStateException("model crashed"));
                } else {
                    sink.next(indexed.getT2());
                }
            });
        });
        restartWith(crashingAtFrame8, speechRecords(100, 1));

        frames(8, true);     // seq 0..7: speech confirmed, 5 frames sent, 2 packed when the detector fails
        frames(10, true);    // seq 8..17: a new detector, a new turn
        frames(20, false);

        List<RecordingTransport.Sent> audio = transport.on(Topics.SPEECH).stream()
                .filter(RecordingTransport.Sent::isAudio).toList();
        String secondTurn = transport.events(Topics.SPEECH).stream()
                .filter(VoiceEvent.SpeechStarted.class::isInstance).reduce((a, b) -> b).orElseThrow().turnId();
        assertThat(audio).filteredOn(record -> secondTurn.equals(record.headers().get(VoxHeaders.TURN)))
                .isNotEmpty()
                .allSatisfy(record -> assertThat(Long.parseLong(record.headers().get(VoxHeaders.SEQ)))
                        .isGreaterThanOrEqualTo(8));
    }

    @Test
    void sessionEndStopsTheSession() {
        frames(10, true);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        assertThat(stage.activeSessions()).isZero();
    }

    @Test
    void eachSessionUsesTheEngineItNames() {
        stage.stop();
        VadEngine always = new VadEngine() {
            @Override
            public String name() {
                return "always";
            }

            @Override
            public Flux<VadScore> score(Flux<dev.voxline.vad.engine.AudioFrame> frames,
                                        dev.voxline.vad.engine.VadSettings settings) {
                return frames.map(frame -> new VadScore(frame, 1.0));
            }
        };
        stage = new VadStage(transport, RecordingTransport.noTopics(), "vad-service", EngineRegistry.<VadEngine>builder(
                "VAD").add(new EnergyVadEngine(-50, -30)).add(always).build("simulated"), PROPERTIES, clock);
        stage.start();
        SessionRoute other = new SessionRoute("sess_b", 5, null);
        configureEngine(ROUTE, "always");
        configureEngine(other, null);

        for (int i = 0; i < 10; i++) {
            deliver(ROUTE, i, frame(false));
            deliver(other, i, frame(false));
        }

        assertThat(transport.downlink()).extracting(RecordingTransport.Sent::route).containsOnly(ROUTE);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started");
    }

    @Test
    void anUnknownEngineIsReportedAndTheSessionGoesOnWithTheDefault() {
        configureEngine(ROUTE, "bogus");
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.code()).isEqualTo("stage_failed");
        assertThat(error.message()).contains("unknown VAD engine 'bogus'; available: simulated",
                "using the default engine 'simulated'");

        frames(10, false);
        frames(20, true);
        frames(20, false);
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error", "speech.started", "speech.ended");
    }

    @Test
    void sileroChosenBySessionFindsSpokenSpeech(@TempDir Path dir) throws Exception {
        stage.stop();
        VadProperties properties = new VadProperties("simulated", "low-latency", 200, 0, -50, -30,
            VadProperties.Silero.defaults(), VadProperties.WebRtc.defaults(), 20, 10);
        try (EngineRegistry<VadEngine> engines = EngineRegistry.<VadEngine>builder("VAD")
                .add(new EnergyVadEngine(-50, -30))
                .addLazy(SileroVadEngine.NAME, () -> new SileroVadEngine(SileroVadEngine.DEFAULT_MODEL_RESOURCE, 1))
                .build("simulated")) {
            stage = new VadStage(transport, RecordingTransport.noTopics(), "vad-service", engines, properties, clock);
            stage.start();
            configureEngine(ROUTE, SileroVadEngine.NAME);
            byte[] pcm = speechClip(dir);

            int frameBytes = Pcm.frameBytes(16_000, Pcm.FRAME_MS);
            for (int i = 0; (i + 1) * frameBytes <= pcm.length; i++) {
                deliver(ROUTE, i, java.util.Arrays.copyOfRange(pcm, i * frameBytes, (i + 1) * frameBytes));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (transport.types(Topics.METRICS).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(transport.types(Topics.DOWNLINK)).containsExactly("speech.started", "speech.ended");
            VoiceEvent.SpeechStarted started = (VoiceEvent.SpeechStarted) transport.events(Topics.DOWNLINK).get(0);
            assertThat(started.audioMs()).isBetween(1000L - 100, 1000L + 100);
            VoiceEvent.VadMetrics metrics = (VoiceEvent.VadMetrics) transport.events(Topics.METRICS).get(0);
            assertThat(metrics.inferenceCount()).isPositive();
            // model time only: a 20 ms frame costs well under its duration, buffering waits are not counted
            assertThat(metrics.inferenceDurationTotalMs()).isPositive()
                    .isLessThan(metrics.inferenceCount() * 20.0);
            stage.stop(); // as Spring does: the stage stops before the engines close
        }
    }

    /** A spoken phrase with 1 s of silence before it and after it (espeak-ng at 16 kHz via sox). */
    private static byte[] speechClip(Path dir) throws Exception {
        Path raw = dir.resolve("raw.wav");
        Path clip = dir.resolve("clip.raw");
        run(dir, "espeak-ng", "-v", "en-us", "-w", raw.toString(), "What time is it in Tokyo?");
        run(dir, "sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                clip.toString(), "silence", "1", "0.01", "-45d", "reverse", "silence", "1", "0.01", "-45d",
                "reverse", "pad", "1", "1");
        return Files.readAllBytes(clip);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    /** The test settings with speech records of {@code recordMs} from {@code busySessions} sessions on. */
    private static VadProperties speechRecords(int recordMs, int busySessions) {
        return new VadProperties("simulated", "low-latency", 200, 0, -50, -30, VadProperties.Silero.defaults(),
                VadProperties.WebRtc.defaults(), recordMs, busySessions);
    }

    private void restartWith(VadEngine engine, VadProperties properties) {
        stage.stop();
        stage = new VadStage(transport, RecordingTransport.noTopics(), "vad-service", EngineRegistry.of("VAD", engine),
                properties, clock);
        stage.start();
    }

    /** A test detector: {@code scoring} turns the frames into scores. */
    private static VadEngine engine(String name, java.util.function.BiFunction<
            Flux<dev.voxline.vad.engine.AudioFrame>, dev.voxline.vad.engine.VadSettings, Flux<VadScore>> scoring) {
        return new VadEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Flux<VadScore> score(Flux<dev.voxline.vad.engine.AudioFrame> frames,
                                        dev.voxline.vad.engine.VadSettings settings) {
                return scoring.apply(frames, settings);
            }
        };
    }

    private void configureEngine(SessionRoute route, String vadEngine) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines(vadEngine, "simulated", "simulated", "simulated"), null, null);
        transport.deliverEvent(Topics.CONTROL, route, new VoiceEvent.SessionStarted(route.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    private void deliver(SessionRoute route, long frameSeq, byte[] pcm) {
        transport.deliverAudio(Topics.AUDIO_IN, route, pcm, Map.of(VoxHeaders.SEQ, Long.toString(frameSeq),
                VoxHeaders.ARRIVAL_US, Long.toString(arrivalUs(frameSeq)), VoxHeaders.AGENT_SPEAKING, "false"));
    }

    private void configure(SessionConfig.Simulation simulation, String profile) {
        SessionConfig config = new SessionConfig(16_000, 16_000, profile, SessionConfig.Engines.simulated(), null,
                simulation);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    private void commit(String turnId) {
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.TurnCommitted(ROUTE.sessionId(), turnId,
                "gen_x"));
    }

    private static long arrivalUs(long frameSeq) {
        return 1_700_000_000_000_000L + frameSeq * 20_000;
    }

    private static byte[] frame(boolean voiced) {
        short[] samples = new short[Pcm.frameBytes(16_000, Pcm.FRAME_MS) / 2];
        if (voiced) {
            for (int s = 0; s < samples.length; s++) {
                samples[s] = (short) (8000 * Math.sin(2 * Math.PI * 180 * s / 16_000.0));
            }
        }
        return Pcm.toBytes(samples);
    }

    private void frames(int count, boolean voiced) {
        frames(count, voiced, false);
    }

    private void frames(int count, boolean voiced, boolean agentSpeaking) {
        for (int i = 0; i < count; i++) {
            long frameSeq = seq++;
            transport.deliverAudio(Topics.AUDIO_IN, ROUTE, frame(voiced),
                    Map.of(VoxHeaders.SEQ, Long.toString(frameSeq),
                            VoxHeaders.ARRIVAL_US, Long.toString(arrivalUs(frameSeq)),
                            VoxHeaders.AGENT_SPEAKING, Boolean.toString(agentSpeaking)));
        }
    }

    /** Records through {@link RecordingTransport} and lets a test deliver records with its own clocks. */
    static final class HopTransport implements dev.voxline.kafka.VoiceTransport {
        private final RecordingTransport recording;
        private RecordHandler handler;

        HopTransport(RecordingTransport recording) {
            this.recording = recording;
        }

        void deliver(dev.voxline.kafka.VoiceRecord record) {
            handler.onRecord(record);
        }

        @Override
        public void publish(String topic, SessionRoute route, VoiceEvent event) {
            recording.publish(topic, route, event);
        }

        @Override
        public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
            recording.publishAudio(topic, route, pcm, headers);
        }

        @Override
        public Subscription subscribe(String groupId, java.util.Collection<String> topics, RecordHandler h) {
            handler = h;
            return recording.subscribe(groupId, topics, h);
        }

        @Override
        public Subscription assign(String topic, java.util.Collection<Integer> partitions, RecordHandler h) {
            handler = h;
            return recording.assign(topic, partitions, h);
        }
    }
}

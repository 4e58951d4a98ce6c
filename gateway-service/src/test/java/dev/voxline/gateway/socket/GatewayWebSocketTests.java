package dev.voxline.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.RecordingTransport;
import dev.voxline.gateway.session.SessionRegistry;
import dev.voxline.kafka.VoiceRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The WebSocket slice without a broker: a recording transport stands in for Kafka, and downlink records are handed
 * to the session registry as the downlink reader would.
 */
@GatewaySocketTest
class GatewayWebSocketTests {

    @LocalServerPort
    int port;

    @Autowired
    RecordingTransport transport;

    @Autowired
    SessionRegistry sessions;

    private long offset;

    private static byte[] tone(int sampleRate, int ms) {
        short[] samples = new short[sampleRate / 1000 * ms];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8_000 * Math.sin(2 * Math.PI * 300 * i / (double) sampleRate));
        }
        return dev.voxline.contracts.audio.Pcm.toBytes(samples);
    }

    private void downlink(VoiceEvent event) {
        int partition = sessions.session(event.sessionId()).downlinkPartition();
        sessions.onDownlink(new VoiceRecord(Topics.DOWNLINK, partition, offset++, event.sessionId(),
                Map.of(VoxHeaders.TYPE, JsonCodec.typeName(event)), JsonCodec.get().encode(event), 0));
    }

    private void downlinkAudio(String sessionId, String turnId, byte[] pcm) {
        sessions.onDownlink(new VoiceRecord(Topics.DOWNLINK, 0, offset++, sessionId, Map.of(
                VoxHeaders.TYPE, VoxHeaders.AUDIO_TYPE, VoxHeaders.TURN, turnId, VoxHeaders.SAMPLE_RATE, "16000"),
                pcm, 0));
    }

    /** Reply audio as the downlink reader would hand it over, sent {@code hopMicros} before it was polled. */
    private void downlinkAudio(String sessionId, String turnId, byte[] pcm, long hopMicros) {
        long polled = dev.voxline.kafka.WallClock.micros();
        sessions.onDownlink(new VoiceRecord(Topics.DOWNLINK, 0, offset++, sessionId, Map.of(
                VoxHeaders.TYPE, VoxHeaders.AUDIO_TYPE, VoxHeaders.TURN, turnId, VoxHeaders.SAMPLE_RATE, "16000",
                VoxHeaders.SENT_US, Long.toString(polled - hopMicros)), pcm, polled));
    }

    private VoiceEvent.GatewayTurnMetrics awaitTurnMetrics(String sessionId) {
        await().atMost(TalkClient.WAIT).until(() -> transport.of(sessionId, Topics.METRICS).stream()
                .anyMatch(p -> p.event() instanceof VoiceEvent.GatewayTurnMetrics));
        List<RecordingTransport.Published> turnMetrics = transport.of(sessionId, Topics.METRICS).stream()
                .filter(p -> p.event() instanceof VoiceEvent.GatewayTurnMetrics).toList();
        assertThat(turnMetrics).hasSize(1);
        RecordingTransport.Published published = turnMetrics.get(0);
        assertThat(published.route()).isEqualTo(new dev.voxline.kafka.SessionRoute(sessionId,
                sessions.session(sessionId).downlinkPartition(), null));
        return (VoiceEvent.GatewayTurnMetrics) published.event();
    }

    private void finishReply(String id, String turn) {
        downlink(new VoiceEvent.ReplyDelta(id, turn, "gen_1", "Hi"));
        downlink(new VoiceEvent.ReplyDone(id, turn, "gen_1", "Hi", 1, false));
        downlink(new VoiceEvent.SynthesisDone(id, turn, "gen_1", 300, false));
    }

    @Test
    void aTypedTurnsClockRunsFromTextInputToTheFirstAudioFrameOnTheSocket() {
        try (TalkClient client = new TalkClient(port)) {
            long before = dev.voxline.kafka.WallClock.micros();
            client.send("{\"type\":\"text.input\",\"text\":\"hello\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            VoiceEvent.TranscriptFinal fin = client.await(VoiceEvent.TranscriptFinal.class);
            long afterText = dev.voxline.kafka.WallClock.micros();
            String turn = fin.turnId();
            VoiceEvent.TranscriptFinal published = (VoiceEvent.TranscriptFinal) transport.of(id, Topics.TRANSCRIPTS)
                    .get(0).event();
            assertThat(published.speechEndUs()).isBetween(before, afterText);

            long beforeAudio = dev.voxline.kafka.WallClock.micros();
            downlinkAudio(id, turn, tone(16_000, 300), 1_500);
            finishReply(id, turn);
            client.await(VoiceEvent.AudioDone.class);
            long afterDone = dev.voxline.kafka.WallClock.micros();

            VoiceEvent.GatewayTurnMetrics metrics = awaitTurnMetrics(id);
            assertThat(metrics.turnId()).isEqualTo(turn);
            assertThat(metrics.typed()).isTrue();
            assertThat(metrics.interrupted()).isFalse();
            assertThat(metrics.speechEndUs()).isEqualTo(published.speechEndUs());
            assertThat(metrics.firstAudioUs()).isBetween(beforeAudio, afterDone);
            assertThat(metrics.e2eMs()).isEqualTo((metrics.firstAudioUs() - metrics.speechEndUs()) / 1000.0);
            assertThat(metrics.audioMs()).isEqualTo(300);
            assertThat(metrics.playedMs()).isEqualTo(300);
            assertThat(metrics.hopMs()).isEqualTo(1.5);
        }
    }

    @Test
    void aVoiceTurnsClockRunsFromItsLastPause() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            client.send(new byte[640 * 4]);
            await().atMost(TalkClient.WAIT).until(() -> transport.of(id, Topics.AUDIO_IN).size() == 4);
            long frame3 = sessions.session(id).frameArrivalMicros(3);

            String turn = "turn_voice";
            downlink(new VoiceEvent.SpeechStarted(id, turn, 0, 0));
            downlink(new VoiceEvent.SpeechEnded(id, turn, 80, 3, 0)); // no speechEndUs: the gateway's own record
            downlinkAudio(id, turn, tone(16_000, 100), 800);
            downlink(new VoiceEvent.TranscriptFinal(id, turn, "hi", false, frame3));
            finishReply(id, turn);
            client.await(VoiceEvent.AudioDone.class);

            VoiceEvent.GatewayTurnMetrics metrics = awaitTurnMetrics(id);
            assertThat(metrics.typed()).isFalse();
            assertThat(metrics.speechEndUs()).isEqualTo(frame3);
            assertThat(metrics.e2eMs()).isEqualTo((metrics.firstAudioUs() - frame3) / 1000.0).isPositive();
            assertThat(metrics.hopMs()).isEqualTo(0.8);
            assertThat(metrics.audioMs()).isEqualTo(100);
        }
    }

    @Test
    void theLastPauseOfATurnStartsItsClock() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = "turn_paused";
            long firstPause = dev.voxline.kafka.WallClock.micros() - 900_000;
            long lastPause = firstPause + 400_000;
            downlink(new VoiceEvent.SpeechStarted(id, turn, 0, 0));
            downlink(new VoiceEvent.SpeechEnded(id, turn, 500, 24, firstPause));
            downlink(new VoiceEvent.SpeechStarted(id, turn, 700, 35));
            downlink(new VoiceEvent.SpeechEnded(id, turn, 1200, 59, lastPause));
            downlink(new VoiceEvent.TranscriptFinal(id, turn, "hi there", false, lastPause));
            downlinkAudio(id, turn, tone(16_000, 100), 0);
            finishReply(id, turn);
            client.await(VoiceEvent.AudioDone.class);

            VoiceEvent.GatewayTurnMetrics metrics = awaitTurnMetrics(id);
            assertThat(metrics.speechEndUs()).isEqualTo(lastPause);
            assertThat(metrics.e2eMs()).isEqualTo((metrics.firstAudioUs() - lastPause) / 1000.0)
                    .isGreaterThanOrEqualTo(500.0);
        }
    }

    @Test
    void anInterruptedTurnIsReportedWhenItsAudioIsCleared() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"text.input\",\"text\":\"tell me a story\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = client.await(VoiceEvent.TranscriptFinal.class).turnId();
            downlinkAudio(id, turn, tone(16_000, 3_000), 2_000);
            client.await(VoiceEvent.AudioStart.class);
            client.next();
            client.send("{\"type\":\"interrupt\"}");
            VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class);

            VoiceEvent.GatewayTurnMetrics metrics = awaitTurnMetrics(id);
            assertThat(metrics.interrupted()).isTrue();
            assertThat(metrics.typed()).isTrue();
            assertThat(metrics.playedMs()).isEqualTo(clear.playedMs());
            assertThat(metrics.audioMs()).isBetween(20L, 3_000L);
            assertThat(metrics.e2eMs()).isNotNull()
                    .isEqualTo((metrics.firstAudioUs() - metrics.speechEndUs()) / 1000.0);
            assertThat(metrics.hopMs()).isEqualTo(2.0);
        }
    }

    @Test
    void aTurnWithoutAudioIsReportedWithoutE2e() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"text.input\",\"text\":\"hello\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = client.await(VoiceEvent.TranscriptFinal.class).turnId();
            downlink(new VoiceEvent.ReplyDone(id, turn, "gen_1", "", 0, true));
            downlink(new VoiceEvent.SynthesisDone(id, turn, "gen_1", 0, true));

            VoiceEvent.GatewayTurnMetrics metrics = awaitTurnMetrics(id);
            assertThat(metrics.e2eMs()).isNull();
            assertThat(metrics.firstAudioUs()).isZero();
            assertThat(metrics.audioMs()).isZero();
            assertThat(metrics.interrupted()).isFalse();
            assertThat(metrics.hopMs()).isEqualTo(-1);
        }
    }

    @Test
    void turnMetricsAreForwardedToTheClient() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"text.input\",\"text\":\"hello\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = client.await(VoiceEvent.TranscriptFinal.class).turnId();
            downlinkAudio(id, turn, tone(16_000, 100), 0);
            finishReply(id, turn);
            client.await(VoiceEvent.AudioDone.class);
            VoiceEvent.TurnMetrics report = new VoiceEvent.TurnMetrics(1, 1L, id, turn, 0.0, 0.0, null, null, null,
                    200.0, 30.0, 400.0, 12, 9, 45.0, 80.0, 500.0, 1000.0, 24, 4.2, 321.0, false, false, null, null, null, null);
            downlink(report);

            VoiceEvent.TurnMetrics received = client.await(VoiceEvent.TurnMetrics.class);
            assertThat(received.turnId()).isEqualTo(turn);
            assertThat(received.e2e()).isEqualTo(321.0);
            assertThat(received.llmTtft()).isEqualTo(200.0);
        }
    }

    @Test
    void anAlertReachesOnlyTheClientOfItsSession() {
        try (TalkClient a = new TalkClient(port); TalkClient b = new TalkClient(port)) {
            a.send("{\"type\":\"session.start\"}");
            b.send("{\"type\":\"session.start\"}");
            String idA = a.await(VoiceEvent.SessionStarted.class).sessionId();
            String idB = b.await(VoiceEvent.SessionStarted.class).sessionId();

            downlink(new VoiceEvent.Alert(idA, "turn-a", "e2e_p95", "e2e", 1_500, 1_000, "critical", "slow turn"));
            downlink(new VoiceEvent.Alert(idB, "turn-b", "tts_ttfb_p95", "tts_ttfb", 400, 300, "warning", "slow"));

            VoiceEvent.Alert toA = a.await(VoiceEvent.Alert.class);
            assertThat(toA.sessionId()).isEqualTo(idA);
            assertThat(toA.turnId()).isEqualTo("turn-a");
            assertThat(toA.value()).isEqualTo(1_500);
            VoiceEvent.Alert toB = b.await(VoiceEvent.Alert.class);
            assertThat(toB.turnId()).as("B's first alert is its own, not A's").isEqualTo("turn-b");
            assertThat(a.history()).extracting(TalkClient.Received::event).filteredOn(VoiceEvent.Alert.class::isInstance)
                    .extracting(VoiceEvent::sessionId).containsOnly(idA);
        }
    }

    private void expectError(TalkClient client, String code) {
        VoiceEvent.Error error = client.await(VoiceEvent.Error.class);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).isNotBlank();
    }

    private void expectError(TalkClient client, String code, String saying) {
        VoiceEvent.Error error = client.await(VoiceEvent.Error.class);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).contains(saying);
    }

    @Test
    void binaryAudioIsRechunkedInto20MsFramesWithIncreasingSeq() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            VoiceEvent.SessionStarted started = client.await(VoiceEvent.SessionStarted.class);
            assertThat(started.inputFormat()).isEqualTo(AudioFormat.PIPELINE);
            assertThat(started.outputFormat()).isEqualTo(AudioFormat.PIPELINE);
            String id = started.sessionId();

            client.send(new byte[1_000]).send(new byte[1_000]).send(new byte[600]);

            await().atMost(TalkClient.WAIT).until(() -> transport.of(id, Topics.AUDIO_IN).size() == 4);
            List<RecordingTransport.Published> frames = transport.of(id, Topics.AUDIO_IN);
            assertThat(frames).extracting(p -> p.headers().get(VoxHeaders.SEQ)).containsExactly("0", "1", "2", "3");
            assertThat(frames).allSatisfy(frame -> {
                assertThat(frame.pcm()).hasSize(640);
                assertThat(frame.headers()).containsEntry(VoxHeaders.SAMPLE_RATE, "16000")
                        .containsEntry(VoxHeaders.AGENT_SPEAKING, "false")
                        .containsKey(VoxHeaders.ARRIVAL_US);
                assertThat(frame.route().downlinkPartition()).isBetween(0, 2);
            });
            assertThat(sessions.session(id).frameArrivalMicros(3))
                    .isEqualTo(Long.parseLong(frames.get(3).headers().get(VoxHeaders.ARRIVAL_US)));
            assertThat(transport.of(id, Topics.CONTROL)).extracting(RecordingTransport.Published::event)
                    .singleElement().isInstanceOf(VoiceEvent.SessionStarted.class);
        }
    }

    @Test
    void audioAt48kHzIsResampledTo16kHz() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\",\"inputSampleRate\":48000,\"outputSampleRate\":24000}");
            VoiceEvent.SessionStarted started = client.await(VoiceEvent.SessionStarted.class);
            assertThat(started.inputFormat()).isEqualTo(AudioFormat.pcm16(48_000));
            assertThat(started.outputFormat()).isEqualTo(AudioFormat.pcm16(24_000));
            assertThat(started.config().inputSampleRate()).isEqualTo(48_000);

            byte[] audio = tone(48_000, 200);
            for (int offset = 0; offset < audio.length; offset += 960) { // 10 ms client frames
                client.send(java.util.Arrays.copyOfRange(audio, offset, offset + 960));
            }

            String id = started.sessionId();
            await().atMost(TalkClient.WAIT).until(() -> transport.of(id, Topics.AUDIO_IN).size() == 10);
            assertThat(transport.of(id, Topics.AUDIO_IN)).allSatisfy(frame -> assertThat(frame.pcm()).hasSize(640));
        }
    }

    @Test
    void audioStartsTheSessionWithDefaults() {
        try (TalkClient client = new TalkClient(port)) {
            client.send(new byte[640]);
            VoiceEvent.SessionStarted started = client.await(VoiceEvent.SessionStarted.class);
            assertThat(started.config().vadProfile()).isEqualTo("low-latency");
            await().atMost(TalkClient.WAIT).until(() -> transport.of(started.sessionId(), Topics.AUDIO_IN).size() == 1);
        }
    }

    @Test
    void badInputGetsAClearErrorAndTheSessionGoesOn() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();

            client.send("{\"type\":\"text.input\",");
            expectError(client, ErrorCodes.INVALID_JSON);
            client.send("{\"type\":\"dance\"}");
            expectError(client, ErrorCodes.UNKNOWN_TYPE);
            client.send("{\"text\":\"no type\"}");
            expectError(client, ErrorCodes.INVALID_MESSAGE);
            client.send(new byte[641]);
            expectError(client, ErrorCodes.INVALID_AUDIO_FRAME);
            client.send(new byte[65_538]);
            expectError(client, ErrorCodes.FRAME_TOO_LARGE);
            client.send("{\"type\":\"text.input\",\"text\":\"" + "x".repeat(17_000) + "\"}");
            expectError(client, ErrorCodes.FRAME_TOO_LARGE);
            client.send("{\"type\":\"text.input\",\"text\":\"" + "x".repeat(2_001) + "\"}");
            expectError(client, ErrorCodes.TEXT_TOO_LONG);
            client.send("{\"type\":\"text.input\",\"text\":\"   \"}");
            expectError(client, ErrorCodes.INVALID_FIELD, "text.input: text must not be blank");
            client.send("{\"type\":\"session.start\"}");
            expectError(client, ErrorCodes.SESSION_ALREADY_STARTED);
            client.send("{\"type\":\"playback.position\",\"playedMs\":120}");
            expectError(client, ErrorCodes.INVALID_FIELD, "playback.position: turnId is required");
            client.send("{\"type\":\"playback.position\",\"turnId\":\"turn_x\",\"playedMs\":-1}");
            expectError(client, ErrorCodes.INVALID_FIELD, "playback.position: playedMs must be 0 or more");
            client.send("{\"type\":\"client.latency\",\"turnId\":\"turn_x\"}");
            expectError(client, ErrorCodes.INVALID_FIELD, "client.latency: e2eMs is required");
            client.send("{\"type\":\"client.latency\",\"turnId\":\"turn_x\",\"e2eMs\":-0.5}");
            expectError(client, ErrorCodes.INVALID_FIELD, "client.latency: e2eMs must be 0 or more");
            assertThat(transport.of(id, Topics.AUDIO_IN)).isEmpty();

            client.send(new byte[640]);
            client.send("{\"type\":\"text.input\",\"text\":\"still here?\"}");

            VoiceEvent.TranscriptFinal echo = client.await(VoiceEvent.TranscriptFinal.class);
            assertThat(echo.typed()).isTrue();
            assertThat(echo.text()).isEqualTo("still here?");
            assertThat(transport.of(id, Topics.TRANSCRIPTS)).extracting(RecordingTransport.Published::event)
                    .singleElement().isEqualTo(echo);
            assertThat(transport.of(id, Topics.AUDIO_IN)).hasSize(1);
        }
    }

    @Test
    void simulationSettingsAreRefusedUnlessAllowed() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\",\"simulation\":{\"llmTtftMs\":5}}");
            expectError(client, ErrorCodes.TEST_SETTINGS_DISABLED);
            VoiceEvent.SessionStarted started = client.await(VoiceEvent.SessionStarted.class);
            assertThat(started.config().simulation()).isNull();
        }
    }

    @Test
    void invalidSessionStartLeavesTheSessionUnstarted() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\",\"inputSampleRate\":4000}");
            expectError(client, ErrorCodes.INVALID_FIELD, "inputSampleRate");
            client.send("{\"type\":\"session.start\",\"vadProfile\":\"whisper\"}");
            expectError(client, ErrorCodes.INVALID_FIELD, "vadProfile");
            client.send("{\"type\":\"session.start\",\"vadProfile\":\"high-accuracy\"}");
            assertThat(client.await(VoiceEvent.SessionStarted.class).config().vadProfile())
                    .isEqualTo("high-accuracy");
        }
    }

    @Test
    void aTypedTurnComesBackInProtocolOrderWithPacedAudio() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"text.input\",\"text\":\"hello\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = client.await(VoiceEvent.TranscriptFinal.class).turnId();

            long unknownBefore = sessions.downlinkUnknownSessionRecords();
            sessions.onDownlink(new VoiceRecord(Topics.DOWNLINK, 0, offset++, "sess_nobody", Map.of(), new byte[0], 0));
            assertThat(sessions.downlinkUnknownSessionRecords()).isEqualTo(unknownBefore + 1);

            downlinkAudio(id, turn, tone(16_000, 300)); // audio overtakes the text: still after transcript.final
            downlink(new VoiceEvent.ReplyDelta(id, turn, "gen_1", "Hi"));
            downlink(new VoiceEvent.ReplyDone(id, turn, "gen_1", "Hi", 1, false));
            downlink(new VoiceEvent.SynthesisDone(id, turn, "gen_1", 300, false));

            VoiceEvent.AudioDone done = client.await(VoiceEvent.AudioDone.class);
            assertThat(done.audioMs()).isEqualTo(300);
            List<String> order = client.history().stream().map(TalkClient.Received::type).toList();
            assertThat(order).containsSubsequence("transcript.final", "audio.start", "binary", "audio.done");
            assertThat(order).containsSubsequence("reply.delta", "reply.done", "audio.done");
            assertThat(order.stream().filter("binary"::equals)).hasSize(15);
            assertThat(order.indexOf("audio.start")).isLessThan(order.indexOf("binary"));
            assertThat(order).doesNotContain("synthesis.done");
        }
    }

    @Test
    void interruptClearsThePlayingTurnAndTellsThePipeline() throws InterruptedException {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"text.input\",\"text\":\"tell me a story\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            String turn = client.await(VoiceEvent.TranscriptFinal.class).turnId();
            downlinkAudio(id, turn, tone(16_000, 3_000));
            client.await(VoiceEvent.AudioStart.class);
            client.next();
            assertThat(client.history().get(client.history().size() - 1).isBinary()).isTrue();

            client.send("{\"type\":\"interrupt\"}");
            VoiceEvent.AudioClear clear = client.await(VoiceEvent.AudioClear.class);
            assertThat(clear.turnId()).isEqualTo(turn);
            assertThat(clear.reason()).isEqualTo("interrupted");
            assertThat(clear.playedMs()).isBetween(0L, 3_000L);
            VoiceEvent.InterruptionMetrics stopped = client.await(VoiceEvent.InterruptionMetrics.class);
            assertThat(stopped.turnId()).isEqualTo(turn);
            assertThat(stopped.kind()).isEqualTo(VoiceEvent.InterruptionMetrics.CLIENT);
            assertThat(stopped.stopDelayMs()).isBetween(0.0, 1_000.0);

            downlinkAudio(id, turn, tone(16_000, 500));
            downlink(new VoiceEvent.SynthesisDone(id, turn, "gen_1", 3_500, true));
            assertThat(client.drain(Duration.ofMillis(300))).noneMatch(r -> r.isBinary()
                    || r.event() instanceof VoiceEvent.AudioDone);
            assertThat(transport.of(id, Topics.CONTROL)).extracting(RecordingTransport.Published::event)
                    .filteredOn(VoiceEvent.Interrupt.class::isInstance)
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.turnId()).isEqualTo(turn);
                        assertThat(((VoiceEvent.Interrupt) e).source()).isEqualTo("client");
                    });
        }
    }

    @Test
    void sessionEndIsAnsweredAndPublishedAndClosesTheSocket() {
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            String id = client.await(VoiceEvent.SessionStarted.class).sessionId();
            assertThat(sessions.session(id)).isNotNull();

            client.send("{\"type\":\"session.end\",\"reason\":\"bye\"}");

            assertThat(client.await(VoiceEvent.SessionEnded.class).reason()).isEqualTo("bye");
            assertThat(client.awaitClosed()).isTrue();
            await().atMost(TalkClient.WAIT).until(() -> sessions.session(id) == null);
            assertThat(transport.of(id, Topics.CONTROL)).extracting(RecordingTransport.Published::event)
                    .last().isInstanceOf(VoiceEvent.SessionEnded.class);
        }
    }

    @Test
    void closingTheSocketEndsTheSessionInThePipeline() {
        String id;
        try (TalkClient client = new TalkClient(port)) {
            client.send("{\"type\":\"session.start\"}");
            id = client.await(VoiceEvent.SessionStarted.class).sessionId();
        }
        await().atMost(TalkClient.WAIT).until(() -> sessions.session(id) == null);
        assertThat(transport.of(id, Topics.CONTROL)).extracting(RecordingTransport.Published::event)
                .last().isInstanceOf(VoiceEvent.SessionEnded.class);
    }

    @Test
    void theInstanceOwnsItsDownlinkPartitions() {
        assertThat(sessions.ownedPartitions()).containsExactly(0, 1, 2);
    }
}

package dev.voxline.gateway.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.RecordingTransport;
import dev.voxline.gateway.turn.TurnClock;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The downlink of one started session on a virtual clock: what the client gets, and what the stages are told. */
class DownlinkSequencerTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_down", 3, null);
    private static final String S = ROUTE.sessionId();
    private static final long T0 = 1_700_000_000_000_000L;

    private final RecordingTransport transport = new RecordingTransport();
    private final OutboundQueue outbound = new OutboundQueue(1_000, () -> { });
    private final List<Object> toClient = new ArrayList<>();
    private long nowMs;
    private final DownlinkSequencer downlink = new DownlinkSequencer(ROUTE, AudioFormat.pcm16(16_000),
            Duration.ofMillis(200), Duration.ofSeconds(2), transport, outbound,
            new TurnClock(ROUTE, transport, VoiceTracing.NOOP, 16_000, false), null, seq -> T0 + seq * 20_000,
            () -> T0 + nowMs * 1_000);
    private long offset;

    DownlinkSequencerTests() {
        // As the socket does: a tracked frame tells when it leaves the queue.
        outbound.frames().subscribe(frame -> {
            if (frame instanceof TrackedFrame tracked) {
                tracked.onSent().accept(T0 + nowMs * 1_000);
                toClient.add(tracked.frame());
            } else {
                toClient.add(frame);
            }
        });
    }

    @Test
    void aReplyPausedByTheCallersSpeechAndThenStoppedCountsItsStopDelayToThePause() {
        playReply("turn_a");
        nowMs = 300;
        event(new VoiceEvent.InterruptPending(S, "turn_b", 500, T0 + 280_000));
        assertThat(downlink.agentSpeaking(nowMs)).isFalse();
        nowMs = 900; // llm-service confirms from the words, much later
        event(new VoiceEvent.Interrupt(S, "turn_a", "llm", "the caller spoke", "turn_b", T0 + 850_000));

        VoiceEvent.InterruptionMetrics metrics = (VoiceEvent.InterruptionMetrics) transport.on(Topics.METRICS)
                .stream().map(RecordingTransport.Published::event)
                .filter(VoiceEvent.InterruptionMetrics.class::isInstance).findFirst().orElseThrow();
        assertThat(metrics.turnId()).isEqualTo("turn_a");
        assertThat(metrics.kind()).isEqualTo(VoiceEvent.InterruptionMetrics.BARGE_IN);
        assertThat(metrics.stopDelayMs()).isEqualTo(20.0);
        assertThat(clientTypes()).contains("audio.paused", "audio.clear", "metrics.interruption");
    }

    @Test
    void stoppingTheAgentTellsTheStagesAndTheClient() {
        playReply("turn_a");
        nowMs = 250;
        downlink.stopAgent(null, "client", "client sent interrupt", null, T0 + 240_000,
                VoiceEvent.InterruptionMetrics.CLIENT, nowMs);

        List<VoiceEvent> control = transport.on(Topics.CONTROL).stream().map(RecordingTransport.Published::event)
                .toList();
        assertThat(control).filteredOn(VoiceEvent.PlaybackStopped.class::isInstance).singleElement()
                .satisfies(stopped -> assertThat(((VoiceEvent.PlaybackStopped) stopped).interrupted()).isTrue());
        assertThat(control).filteredOn(VoiceEvent.Interrupt.class::isInstance)
                .singleElement().isInstanceOfSatisfying(VoiceEvent.Interrupt.class, interrupt -> {
                    assertThat(interrupt.turnId()).isEqualTo("turn_a");
                    assertThat(interrupt.source()).isEqualTo("client");
                    assertThat(interrupt.detectedUs()).isEqualTo(T0 + 240_000);
                });
        assertThat(clientTypes()).contains("audio.clear", "metrics.interruption");
        assertThat(downlink.agentSpeaking(nowMs)).isFalse();
    }

    @Test
    void aPauseWithoutVadsInstantIsClockedFromTheLastVoicedFramesArrival() {
        event(new VoiceEvent.SpeechStarted(S, "turn_a", 0, 0));
        event(new VoiceEvent.SpeechEnded(S, "turn_a", 1_000, 49, 0));
        event(new VoiceEvent.TranscriptFinal(S, "turn_a", "hello", false));
        audio("turn_a", 100);
        event(new VoiceEvent.ReplyDone(S, "turn_a", "g", "Hi.", 1, false));
        event(new VoiceEvent.SynthesisDone(S, "turn_a", "g", 100, false));
        for (nowMs = 0; nowMs <= 300; nowMs += 10) {
            downlink.tick(nowMs);
        }

        VoiceEvent.GatewayTurnMetrics metrics = (VoiceEvent.GatewayTurnMetrics) transport.on(Topics.METRICS)
                .stream().map(RecordingTransport.Published::event)
                .filter(VoiceEvent.GatewayTurnMetrics.class::isInstance).findFirst().orElseThrow();
        assertThat(metrics.speechEndUs()).isEqualTo(T0 + 49 * 20_000);
        assertThat(metrics.firstAudioUs()).isPositive();
        assertThat(clientTypes()).contains("speech.ended", "audio.done");
    }

    private void playReply(String turnId) {
        downlink.onGatewayEvent(new VoiceEvent.TranscriptFinal(S, turnId, "hi", true), nowMs);
        audio(turnId, 2_000);
        for (; nowMs <= 200; nowMs += 10) {
            downlink.tick(nowMs);
        }
        assertThat(downlink.agentSpeaking(nowMs)).isTrue();
        assertThat(toClient).anyMatch(byte[].class::isInstance);
    }

    private void audio(String turnId, int ms) {
        downlink.onRecord(new VoiceRecord(Topics.DOWNLINK, 3, offset++, S, Map.of(VoxHeaders.TYPE,
                VoxHeaders.AUDIO_TYPE, VoxHeaders.TURN, turnId, VoxHeaders.SAMPLE_RATE, "16000"),
                new byte[16 * ms * 2], 0), nowMs);
    }

    private void event(VoiceEvent event) {
        downlink.onRecord(new VoiceRecord(Topics.DOWNLINK, 3, offset++, S, Map.of(VoxHeaders.TYPE,
                JsonCodec.typeName(event)), JsonCodec.get().encode(event), 0), nowMs);
    }

    private List<String> clientTypes() {
        return toClient.stream().filter(String.class::isInstance)
                .map(json -> JsonCodec.get().decodeEvent((String) json))
                .map(JsonCodec::typeName).toList();
    }
}

package dev.voxline.gateway.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.RecordingTransport;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class TurnClockTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_clock", 2, null);
    private static final long T0 = 1_700_000_000_000_000L;
    /** 20 ms of 16 kHz PCM16. */
    private static final int FRAME = 640;

    private final RecordingTransport transport = new RecordingTransport();
    private final TurnClock clock = new TurnClock(ROUTE, transport, VoiceTracing.NOOP, 16_000, false);

    @Test
    void aVoiceTurnRunsFromItsLastPauseToItsFirstAudioLeavingTheQueue() {
        clock.speechEnded("turn_1", T0, -1);
        clock.speechEnded("turn_1", T0 + 400_000, -1); // the caller went on: the end of speech moved
        LongConsumer firstAudioSent = clock.audioQueued("turn_1", FRAME);
        assertThat(clock.audioQueued("turn_1", FRAME)).isNull();
        firstAudioSent.accept(T0 + 700_000);
        clock.audioEnded("turn_1", false, 0);

        VoiceEvent.GatewayTurnMetrics metrics = onlyMetrics();
        assertThat(metrics.turnId()).isEqualTo("turn_1");
        assertThat(metrics.e2eMs()).isEqualTo(300.0);
        assertThat(metrics.speechEndUs()).isEqualTo(T0 + 400_000);
        assertThat(metrics.firstAudioUs()).isEqualTo(T0 + 700_000);
        assertThat(metrics.typed()).isFalse();
        assertThat(metrics.synthetic()).isFalse();
        assertThat(metrics.interrupted()).isFalse();
        assertThat(metrics.audioMs()).isEqualTo(40);
        assertThat(metrics.playedMs()).isEqualTo(40);
        assertThat(transport.on(Topics.METRICS).get(0).route()).isEqualTo(ROUTE);
    }

    @Test
    void withoutVadsOwnInstantTheArrivalOfTheLastVoicedFrameEndsTheSpeech() {
        clock.speechEnded("turn_1", 0, T0 + 20_000);
        clock.audioQueued("turn_1", FRAME).accept(T0 + 520_000);
        clock.audioEnded("turn_1", false, 0);

        assertThat(onlyMetrics().e2eMs()).isEqualTo(500.0);
    }

    @Test
    void aSyntheticSessionsTurnsAreMarkedSo() {
        TurnClock synthetic = new TurnClock(ROUTE, transport, VoiceTracing.NOOP, 16_000, true);
        synthetic.speechEnded("turn_1", T0, -1);
        synthetic.audioQueued("turn_1", FRAME).accept(T0 + 500_000);
        synthetic.audioEnded("turn_1", false, 0);

        assertThat(onlyMetrics().synthetic()).isTrue();
    }

    @Test
    void aTurnWithoutAnyKnownEndOfSpeechHasNoLatency() {
        clock.speechEnded("turn_1", 0, -1);
        clock.audioQueued("turn_1", FRAME).accept(T0);
        clock.audioEnded("turn_1", false, 0);

        VoiceEvent.GatewayTurnMetrics metrics = onlyMetrics();
        assertThat(metrics.e2eMs()).isNull();
        assertThat(metrics.speechEndUs()).isZero();
        assertThat(metrics.firstAudioUs()).isEqualTo(T0);
    }

    @Test
    void typedAndAgentTurnsAreClockedFromWhenTheyWereDecided() {
        clock.typedTurnStarted("turn_typed", T0);
        clock.audioQueued("turn_typed", FRAME).accept(T0 + 250_000);
        clock.audioEnded("turn_typed", false, 0);
        clock.agentTurn("turn_agent", T0 + 1_000_000);
        clock.audioQueued("turn_agent", FRAME).accept(T0 + 1_100_000);
        clock.audioEnded("turn_agent", false, 0);

        List<VoiceEvent.GatewayTurnMetrics> metrics = allMetrics();
        assertThat(metrics).extracting(VoiceEvent.GatewayTurnMetrics::typed).containsExactly(true, true);
        assertThat(metrics).extracting(VoiceEvent.GatewayTurnMetrics::e2eMs).containsExactly(250.0, 100.0);
    }

    @Test
    void aNewerAnswersFirstAudioEndsTheClockNotTheSupersededOnes() {
        clock.speechEnded("turn_1", T0, -1);
        clock.replyAudioArrived("turn_1", downlinkAudio(T0 + 100_000, T0 + 103_000));
        LongConsumer superseded = clock.audioQueued("turn_1", FRAME);
        clock.replyRestarted("turn_1");
        clock.replyAudioArrived("turn_1", downlinkAudio(T0 + 600_000, T0 + 602_000));
        LongConsumer answer = clock.audioQueued("turn_1", FRAME);
        superseded.accept(T0 + 300_000);
        answer.accept(T0 + 900_000);
        clock.audioEnded("turn_1", false, 0);

        VoiceEvent.GatewayTurnMetrics metrics = onlyMetrics();
        assertThat(metrics.firstAudioUs()).isEqualTo(T0 + 900_000);
        assertThat(metrics.e2eMs()).isEqualTo(900.0);
        assertThat(metrics.hopMs()).isEqualTo(2.0); // the answer's first record, not the superseded one's
        assertThat(metrics.audioMs()).isEqualTo(40); // both answers' frames went to the caller
    }

    @Test
    void anInterruptedTurnReportsWhatTheCallerHeardAndIsReportedOnce() {
        clock.speechEnded("turn_1", T0, -1);
        for (int i = 0; i < 10; i++) {
            LongConsumer sent = clock.audioQueued("turn_1", FRAME);
            if (sent != null) {
                sent.accept(T0 + 200_000);
            }
        }
        clock.audioEnded("turn_1", true, 60);
        clock.audioEnded("turn_1", false, 0);

        VoiceEvent.GatewayTurnMetrics metrics = onlyMetrics();
        assertThat(metrics.interrupted()).isTrue();
        assertThat(metrics.audioMs()).isEqualTo(200);
        assertThat(metrics.playedMs()).isEqualTo(60);
    }

    @Test
    void aReplyWithoutAudioIsReportedWithoutFirstAudio() {
        clock.speechEnded("turn_1", T0, -1);
        clock.audioEnded("turn_1", false, 0);

        VoiceEvent.GatewayTurnMetrics metrics = onlyMetrics();
        assertThat(metrics.firstAudioUs()).isZero();
        assertThat(metrics.e2eMs()).isNull();
        assertThat(metrics.audioMs()).isZero();
        assertThat(metrics.hopMs()).isEqualTo(-1.0);
    }

    private static VoiceRecord downlinkAudio(long sentUs, long polledUs) {
        return new VoiceRecord(Topics.DOWNLINK, 2, 0, ROUTE.sessionId(), Map.of(VoxHeaders.TYPE,
                VoxHeaders.AUDIO_TYPE, VoxHeaders.TURN, "turn_1", VoxHeaders.SENT_US, Long.toString(sentUs)),
                new byte[FRAME], polledUs);
    }

    private VoiceEvent.GatewayTurnMetrics onlyMetrics() {
        List<VoiceEvent.GatewayTurnMetrics> metrics = allMetrics();
        assertThat(metrics).hasSize(1);
        return metrics.get(0);
    }

    private List<VoiceEvent.GatewayTurnMetrics> allMetrics() {
        return transport.on(Topics.METRICS).stream().map(RecordingTransport.Published::event)
                .map(VoiceEvent.GatewayTurnMetrics.class::cast).toList();
    }
}

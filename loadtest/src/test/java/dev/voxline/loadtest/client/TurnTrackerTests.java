package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TurnTrackerTests {

    private static final long MS = 1_000_000L;
    private static final String SESSION = "sess_1";
    private static final long METRICS_WAIT = 5_000 * MS;

    private final AudioTimeline timeline = new AudioTimeline(16_000);
    private final TurnTracker tracker = new TurnTracker(timeline);

    @Test
    void voiceTurnE2eRunsFromSendingTheEndOfSpeechToTheFirstReplyFrame() {
        int run = tracker.beginRun();
        sendFrames(100); // frame k sent at k · 20 ms
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_a", 500, 25), 600 * MS);
        tracker.onEvent(new VoiceEvent.SpeechEnded(SESSION, "turn_a", 1240, 61), 1_600 * MS);
        tracker.onEvent(new VoiceEvent.TranscriptFinal(SESSION, "turn_a", "what time is it", false), 1_700 * MS);
        tracker.onEvent(new VoiceEvent.ReplyDelta(SESSION, "turn_a", "gen_1", "It is"), 1_900 * MS);
        tracker.onEvent(new VoiceEvent.ReplyDelta(SESSION, "turn_a", "gen_1", " noon."), 1_910 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_a", AudioFormat.pcm16(24_000)), 2_000 * MS);

        Optional<ClientMessage.ClientLatency> latency = tracker.onAudio(new byte[960], 2_010 * MS);
        Optional<ClientMessage.ClientLatency> second = tracker.onAudio(new byte[960], 2_030 * MS);

        // the frame ending at 1240 ms is frame 61, sent at 1220 ms
        assertThat(latency).contains(new ClientMessage.ClientLatency("turn_a", 790.0));
        assertThat(second).isEmpty();
        TurnResult turn = tracker.results(run, 2_100 * MS, METRICS_WAIT).get(0);
        assertThat(turn.clientE2eMs()).isEqualTo(790.0);
        assertThat(turn.transcript()).isEqualTo("what time is it");
        assertThat(turn.replyText()).isEqualTo("It is noon.");
        assertThat(turn.replyAudio()).hasSize(1920);
        assertThat(turn.replySampleRate()).isEqualTo(24_000);
        assertThat(turn.replyAudioMs()).isEqualTo(40);
    }

    @Test
    void aPauseInsideATurnMovesTheClockStartToTheLastSpeechEnded() {
        int run = tracker.beginRun();
        sendFrames(200);
        tracker.onEvent(new VoiceEvent.SpeechEnded(SESSION, "turn_a", 1000, 49), 1_400 * MS);
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_a", 1400, 70), 1_600 * MS);
        tracker.onEvent(new VoiceEvent.SpeechEnded(SESSION, "turn_a", 2500, 124), 2_900 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_a", AudioFormat.pcm16(16_000)), 3_000 * MS);
        tracker.onAudio(new byte[640], 3_200 * MS);

        assertThat(tracker.results(run, 3_300 * MS, METRICS_WAIT).get(0).clientE2eMs())
                .isEqualTo(3_200.0 - 124 * 20);
    }

    @Test
    void typedTurnE2eRunsFromSendingTextInput() {
        int run = tracker.beginRun();
        tracker.textInputSent(10_000 * MS);
        tracker.onEvent(new VoiceEvent.TranscriptFinal(SESSION, "turn_t", "hello", true), 10_002 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_t", AudioFormat.pcm16(16_000)), 10_400 * MS);

        Optional<ClientMessage.ClientLatency> latency = tracker.onAudio(new byte[640], 10_412_500_000L);

        assertThat(latency).contains(new ClientMessage.ClientLatency("turn_t", 412.5));
        TurnResult turn = tracker.results(run, 10_500 * MS, METRICS_WAIT).get(0);
        assertThat(turn.typed()).isTrue();
        assertThat(turn.transcript()).isEqualTo("hello");
    }

    @Test
    void binaryFramesBelongToTheTurnOfTheLastAudioStart() {
        int run = tracker.beginRun();
        tracker.textInputSent(0);
        tracker.onEvent(new VoiceEvent.TranscriptFinal(SESSION, "turn_1", "one", true), MS);
        tracker.textInputSent(2 * MS);
        tracker.onEvent(new VoiceEvent.TranscriptFinal(SESSION, "turn_2", "two", true), 3 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_1", AudioFormat.pcm16(16_000)), 10 * MS);
        tracker.onAudio(new byte[640], 11 * MS);
        tracker.onEvent(new VoiceEvent.AudioDone(SESSION, "turn_1", 20), 30 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_2", AudioFormat.pcm16(16_000)), 31 * MS);
        tracker.onAudio(new byte[640], 32 * MS);
        tracker.onAudio(new byte[640], 52 * MS);

        List<TurnResult> turns = tracker.results(run, 60 * MS, METRICS_WAIT);
        assertThat(turns).extracting(TurnResult::turnId).containsExactly("turn_1", "turn_2");
        assertThat(turns.get(0).replyAudio()).hasSize(640);
        assertThat(turns.get(0).clientE2eMs()).isEqualTo(11.0);
        assertThat(turns.get(1).replyAudio()).hasSize(1280);
        assertThat(turns.get(1).clientE2eMs()).isEqualTo(30.0);
    }

    @Test
    void aTurnFinishesWhenItsMetricsArriveOrTheWaitForThemRunsOut() {
        int run = tracker.beginRun();
        tracker.textInputSent(0);
        tracker.onEvent(new VoiceEvent.TranscriptFinal(SESSION, "turn_t", "hi", true), MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_t", AudioFormat.pcm16(16_000)), 100 * MS);
        assertThat(tracker.unfinished(run, 200 * MS, METRICS_WAIT)).containsExactly("turn_t");
        assertThat(tracker.describeUnfinished(run, 200 * MS, METRICS_WAIT))
                .isEqualTo("turn_t (reply audio not done)");

        tracker.onEvent(new VoiceEvent.AudioDone(SESSION, "turn_t", 1000), 1_000 * MS);
        assertThat(tracker.unfinished(run, 1_001 * MS, METRICS_WAIT)).containsExactly("turn_t");
        assertThat(tracker.describeUnfinished(run, 1_001 * MS, METRICS_WAIT)).isEqualTo("turn_t (no turn.metrics)");
        assertThat(tracker.unfinished(run, 6_000 * MS, METRICS_WAIT)).isEmpty();

        tracker.onEvent(metrics("turn_t", 412.0), 1_200 * MS);
        assertThat(tracker.unfinished(run, 1_201 * MS, METRICS_WAIT)).isEmpty();
        TurnResult turn = tracker.results(run, 1_201 * MS, METRICS_WAIT).get(0);
        assertThat(turn.metrics().e2e()).isEqualTo(412.0);
        assertThat(turn.audioDone()).isTrue();
        assertThat(turn.finished()).isTrue();
    }

    @Test
    void aCancelledReplyWithoutAudioEndsTheTurnButALaterAttemptKeepsItGoing() {
        int run = tracker.beginRun();
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_a", 0, 0), MS);
        tracker.onEvent(new VoiceEvent.ReplyDone(SESSION, "turn_a", "gen_1", "You", 0, true), 2 * MS);
        assertThat(tracker.describeUnfinished(run, 3 * MS, METRICS_WAIT)).isEqualTo("turn_a (no turn.metrics)");

        tracker.onEvent(new VoiceEvent.ReplyDelta(SESSION, "turn_a", "gen_2", "You said"), 4 * MS);
        tracker.onEvent(new VoiceEvent.AudioStart(SESSION, "turn_a", AudioFormat.pcm16(16_000)), 5 * MS);
        tracker.onEvent(new VoiceEvent.ReplyDone(SESSION, "turn_a", "gen_2", "You said hi.", 1, false), 6 * MS);
        tracker.onEvent(new VoiceEvent.ReplyDone(SESSION, "turn_a", "gen_1", "You", 0, true), 7 * MS);

        assertThat(tracker.unfinished(run, 10_000 * MS, METRICS_WAIT)).containsExactly("turn_a");
        assertThat(tracker.results(run, 8 * MS, METRICS_WAIT).get(0).replyText()).isEqualTo("You said hi.");
    }

    @Test
    void errorsGoToTheirTurnOrToTheSessionAndATurnFailingBeforeAudioEnds() {
        int run = tracker.beginRun();
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_a", 0, 0), MS);
        tracker.onEvent(new VoiceEvent.Error(SESSION, "turn_a", "stage_failed", "stt failed"), 2 * MS);
        tracker.onEvent(new VoiceEvent.Error(SESSION, null, "invalid_message", "bad"), 3 * MS);

        TurnResult turn = tracker.results(run, 4 * MS, METRICS_WAIT).get(0);
        assertThat(turn.errors()).extracting(VoiceEvent.Error::code).containsExactly("stage_failed");
        assertThat(turn.finished()).isTrue();
        assertThat(tracker.sessionErrors(run)).extracting(VoiceEvent.Error::code).containsExactly("invalid_message");
        assertThat(tracker.sessionErrors(tracker.beginRun())).isEmpty();
    }

    @Test
    void turnsBelongToTheRunInWhichTheyWereFirstSeen() {
        int first = tracker.beginRun();
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_a", 0, 0), MS);
        int second = tracker.beginRun();
        tracker.onEvent(metrics("turn_a", 500.0), 2 * MS); // late report of the first run's turn
        tracker.onEvent(new VoiceEvent.SpeechStarted(SESSION, "turn_b", 3000, 150), 3 * MS);

        assertThat(tracker.turnCount(first)).isEqualTo(1);
        assertThat(tracker.results(second, 4 * MS, METRICS_WAIT)).extracting(TurnResult::turnId)
                .containsExactly("turn_b");
        assertThat(tracker.results(first, 4 * MS, METRICS_WAIT).get(0).metrics().e2e()).isEqualTo(500.0);
    }

    private void sendFrames(int count) {
        for (int k = 0; k < count; k++) {
            timeline.sent(320, k * 20 * MS);
        }
    }

    static VoiceEvent.TurnMetrics metrics(String turnId, Double e2e) {
        return new VoiceEvent.TurnMetrics(1, 0, SESSION, turnId, 300.0, 120.0, 120.0, 1500.0, 0.08, 300.0, 40.0,
                500.0, 12, 8, 20.0, 100.0, 400.0, 1800.0, 30, 5.0, e2e, false, false, null, null, null, null);
    }
}

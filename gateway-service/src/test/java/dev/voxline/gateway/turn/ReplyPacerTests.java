package dev.voxline.gateway.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing rule on a virtual clock: every call gets {@code nowMs}, so these tests take no real time. */
class ReplyPacerTests {

    private static final int RATE = 16_000;
    private static final int FRAME_BYTES = 640;
    private static final Duration LEAD = Duration.ofMillis(200);

    private final ReplyPacer pacer = new ReplyPacer(RATE, LEAD);
    /** When each frame was sent (virtual ms). */
    private final List<Long> sendTimes = new ArrayList<>();

    private static byte[] audioMs(int ms) {
        return new byte[RATE / 1000 * ms * 2];
    }

    private void runUntil(long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t++) {
            long now = t;
            pacer.drain(now, frame -> sendTimes.add(now));
        }
    }

    @Test
    void oneSecondOfAudioIsSentOverOneSecondMinusTheLead() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(1_000), 0);
        pacer.flush();

        runUntil(0, 2_000);

        assertThat(sendTimes).hasSize(50);
        assertThat(sendTimes.get(0)).isZero();
        assertThat(sendTimes.get(49)).isEqualTo(780); // 49·20 − 200
        assertThat(pacer.hasQueued()).isFalse();
        assertThat(pacer.sentMs()).isEqualTo(1_000);
    }

    @Test
    void frameKIsSentExactlyWhenKTimes20MinusTheLeadHasElapsed() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(1_000), 0);

        runUntil(0, 1_000);

        for (int k = 0; k < sendTimes.size(); k++) {
            assertThat(sendTimes.get(k)).as("frame %d", k).isEqualTo(Math.max(0, k * 20L - 200));
        }
    }

    @Test
    void neverSendsMoreThanTheLeadAheadOfPlayback() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(3_000), 0);
        for (long t = 0; t <= 3_000; t += 7) {
            long now = t;
            pacer.drain(now, frame -> sendTimes.add(now));
            // The last frame sent started at most `lead` ahead of playback.
            assertThat(pacer.sentMs() - 20).isLessThanOrEqualTo(now + 200);
            assertThat(pacer.sentMs()).isGreaterThanOrEqualTo(Math.min(3_000, now + 200 - 7));
        }
    }

    @Test
    void playedMsIsTheSmallerOfSentAndElapsed() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(1_000), 1_000);
        assertThat(pacer.playedMs(1_000)).isZero(); // nothing sent yet: playback has not started

        runUntil(1_000, 1_100);
        assertThat(pacer.playedMs(1_100)).isEqualTo(100);

        runUntil(1_101, 1_900);
        assertThat(pacer.sentMs()).isEqualTo(1_000);
        assertThat(pacer.playedMs(1_900)).isEqualTo(900);
        assertThat(pacer.playedMs(2_500)).isEqualTo(1_000);
    }

    @Test
    void clearDropsWhatWasNotSentAndReportsWhatWasHeard() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(1_000), 0);
        runUntil(0, 300);
        int sent = sendTimes.size();

        assertThat(pacer.clear(300)).isEqualTo(300);
        assertThat(pacer.hasQueued()).isFalse();
        runUntil(301, 1_000);
        assertThat(sendTimes).hasSize(sent);
        assertThat(pacer.audible(301)).isFalse();
    }

    @Test
    void anUnderrunRestartsPacingWhenAudioResumes() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(100), 0);
        runUntil(0, 500); // 100 ms sent at once, then the caller hears silence
        sendTimes.clear();

        pacer.enqueue(audioMs(1_000), 500);
        runUntil(500, 2_000);

        // Playback is re-anchored as if it had started at 400 (100 ms already played by 500): lead rebuilt, then real time.
        assertThat(sendTimes.get(0)).isEqualTo(500);
        assertThat(sendTimes.get(sendTimes.size() - 1)).isEqualTo(400 + 1_080 - 200);
        assertThat(pacer.playedMs(700)).isEqualTo(300);
    }

    @Test
    void aFollowingTurnStartsWhereThePreviousTurnsBufferedAudioEnds() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(400), 0);
        pacer.flush();
        runUntil(0, 200); // all 400 ms sent by t=180; the caller plays until t=400
        pacer.end();
        assertThat(pacer.audible(399)).isTrue();
        assertThat(pacer.audible(400)).isFalse();

        sendTimes.clear();
        pacer.begin("t2");
        pacer.enqueue(audioMs(1_000), 200);
        runUntil(200, 2_000);

        // t2's playback starts at 400, so its frame k goes at 400 + 20k − 200.
        assertThat(sendTimes.get(0)).isEqualTo(200);
        assertThat(sendTimes.get(11)).isEqualTo(420);
        assertThat(sendTimes.get(49)).isEqualTo(400 + 980 - 200);
        assertThat(pacer.playedMs(500)).isEqualTo(100);
    }

    @Test
    void theLastPartialFrameGoesOutOnlyAfterFlush() {
        pacer.begin("t1");
        pacer.enqueue(new byte[FRAME_BYTES + 100], 0);
        runUntil(0, 100);
        assertThat(sendTimes).hasSize(1);
        assertThat(pacer.hasQueued()).isTrue();

        pacer.flush();
        List<Integer> sizes = new ArrayList<>();
        pacer.drain(101, frame -> sizes.add(frame.length));
        assertThat(sizes).containsExactly(100);
        assertThat(pacer.hasQueued()).isFalse();
    }

    @Test
    void framesAre20MsAtTheOutputRate() {
        ReplyPacer at24k = new ReplyPacer(24_000, LEAD);
        at24k.begin("t1");
        at24k.enqueue(new byte[24_000 * 2], 0);
        List<Integer> sizes = new ArrayList<>();
        for (long t = 0; t <= 1_000; t++) {
            at24k.drain(t, frame -> sizes.add(frame.length));
        }
        assertThat(sizes).hasSize(50).containsOnly(960);
    }

    @Test
    void aPauseTakesBackWhatWasSentButNotHeardAndAResumePlaysOnFromThere() {
        pacer.begin("t1");
        pacer.enqueue(audioMs(1_000), 0);
        runUntil(0, 300); // 520 ms sent: 300 heard, the 200 ms lead and the frame due at 300
        assertThat(pacer.sentMs()).isEqualTo(520);

        assertThat(pacer.pause(300)).isEqualTo(300);
        assertThat(pacer.paused()).isTrue();
        assertThat(pacer.playedMs(900)).isEqualTo(300);
        assertThat(pacer.audible(301)).as("the caller no longer hears the agent").isFalse();
        int sent = sendTimes.size();
        runUntil(301, 900);
        assertThat(sendTimes).as("nothing is sent while paused").hasSize(sent);

        assertThat(pacer.resume(900)).isEqualTo(300);
        runUntil(900, 2_000);
        // the 700 ms from the pause point, sent again from there, lead first
        assertThat(sendTimes.size() - sent).isEqualTo(700 / 20);
        assertThat(pacer.sentMs()).isEqualTo(1_000);
        assertThat(pacer.playedMs(1_600)).isEqualTo(1_000);
    }
}

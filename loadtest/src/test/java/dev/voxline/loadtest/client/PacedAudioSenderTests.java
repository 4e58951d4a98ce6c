package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PacedAudioSenderTests {

    private static final long MS = 1_000_000L;

    @Test
    void sendsEveryFrameInOrderAtItsDeadlineWithoutDrift() {
        FakeTime time = new FakeTime(2 * MS); // every wake-up up to 2 ms late
        PacingClock clock = new PacingClock(time, Duration.ofMillis(20), 1.0);
        List<byte[]> frames = frames(500);
        List<Long> sentAt = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        boolean[] sending = {false};
        boolean[] overlapped = {false};
        PacedAudioSender sender = new PacedAudioSender(frames, clock, time, frame -> {
            overlapped[0] |= sending[0];
            sending[0] = true;
            sentAt.add(time.nanoTime());
            sent.add(frame);
            CompletableFuture<Void> done = new CompletableFuture<>();
            time.scheduleExactly(() -> {
                sending[0] = false;
                done.complete(null);
            }, MS); // the socket takes 1 ms to accept a frame
            return done;
        });

        CompletableFuture<Void> finished = sender.start();
        time.runAll();

        assertThat(finished).isCompleted();
        assertThat(sent).containsExactlyElementsOf(frames);
        assertThat(overlapped[0]).as("a send started before the previous one completed").isFalse();
        for (int k = 0; k < sentAt.size(); k++) {
            long lateness = sentAt.get(k) - clock.deadlineNanos(k);
            assertThat(lateness).as("frame %d", k).isBetween(0L, 3 * MS);
        }
    }

    @Test
    void aSlowSocketDelaysFramesButTheStreamCatchesUpAfterwards() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, Duration.ofMillis(20), 1.0);
        List<Long> sentAt = new ArrayList<>();
        PacedAudioSender sender = new PacedAudioSender(frames(20), clock, time, frame -> {
            sentAt.add(time.nanoTime());
            CompletableFuture<Void> done = new CompletableFuture<>();
            // frame 3's send stalls for 70 ms
            time.scheduleExactly(() -> done.complete(null), sentAt.size() == 4 ? 70 * MS : 0);
            return done;
        });

        sender.start();
        time.runAll();

        long start = clock.startNanos();
        assertThat(sentAt.get(4) - start).isEqualTo(130 * MS); // due at 80, waited for frame 3 until 60 + 70
        assertThat(sentAt.get(5) - start).isEqualTo(130 * MS); // due at 100: at once
        assertThat(sentAt.get(6) - start).isEqualTo(130 * MS); // due at 120: at once
        assertThat(sentAt.get(7) - start).isEqualTo(140 * MS); // back on the grid
        assertThat(sentAt.get(19) - start).isEqualTo(380 * MS);
    }

    @Test
    void cancelStopsTheStream() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, Duration.ofMillis(20), 1.0);
        List<byte[]> sent = new ArrayList<>();
        PacedAudioSender[] sender = new PacedAudioSender[1];
        sender[0] = new PacedAudioSender(frames(10), clock, time, frame -> {
            sent.add(frame);
            if (sent.size() == 3) {
                sender[0].cancel();
            }
            return CompletableFuture.completedFuture(null);
        });

        CompletableFuture<Void> finished = sender[0].start();
        time.runAll();

        assertThat(sent).hasSize(3);
        assertThat(finished).isCompleted();
    }

    @Test
    void theInputMarkRunsOnceItsFramesAreSentAndTheSilenceGoesOnUntilCancelled() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, Duration.ofMillis(20), 1.0);
        List<byte[]> sent = new ArrayList<>();
        int[] sentAtMark = {-1};
        PacedAudioSender[] sender = new PacedAudioSender[1];
        sender[0] = new PacedAudioSender(frames(100), clock, time, frame -> {
            sent.add(frame);
            if (sent.size() == 30) {
                sender[0].cancel(); // the run ended: the open microphone's silence stops
            }
            return CompletableFuture.completedFuture(null);
        }).whenSent(12, () -> sentAtMark[0] = sent.size());

        CompletableFuture<Void> finished = sender[0].start();
        time.runAll();

        assertThat(sentAtMark[0]).isEqualTo(12);
        assertThat(sent).hasSize(30);
        assertThat(finished).isCompleted();
    }

    @Test
    void aMarkBeyondTheStreamIsRefused() {
        PacingClock clock = new PacingClock(new FakeTime(0), Duration.ofMillis(20), 1.0);
        PacedAudioSender sender = new PacedAudioSender(frames(5), clock, new FakeTime(0),
                frame -> CompletableFuture.completedFuture(null));

        assertThatThrownBy(() -> sender.whenSent(6, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSendFailsTheStream() {
        FakeTime time = new FakeTime(0);
        PacingClock clock = new PacingClock(time, Duration.ofMillis(20), 1.0);
        PacedAudioSender sender = new PacedAudioSender(frames(10), clock, time,
                frame -> CompletableFuture.failedFuture(new java.io.IOException("broken pipe")));

        CompletableFuture<Void> finished = sender.start();
        time.runAll();

        assertThat(finished).isCompletedExceptionally();
    }

    private static List<byte[]> frames(int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        return frames;
    }
}

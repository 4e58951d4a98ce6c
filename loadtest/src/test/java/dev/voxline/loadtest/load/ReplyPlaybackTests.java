package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplyPlaybackTests {

    private static final long MS = 1_000_000L;

    @Test
    void framesThatArriveAheadOfPlaybackNeverRunDry() {
        ReplyPlayback playback = new ReplyPlayback(100 * MS);
        // a burst: 10 frames of 20 ms all within 5 ms (synthesis faster than real time)
        for (int i = 0; i < 10; i++) {
            playback.frame(1000 * MS + i * MS / 2, 20 * MS);
        }

        assertThat(playback.underruns()).isZero();
        assertThat(playback.gapMs()).isZero();
        assertThat(playback.audioMs()).isEqualTo(200.0);
        // starts at 1000 + 100 (jitter buffer), plays 200 ms
        assertThat(playback.endNanos()).isEqualTo(1300 * MS);
    }

    @Test
    void framesAtExactlyRealTimeAreCoveredByTheJitterBuffer() {
        ReplyPlayback playback = new ReplyPlayback(100 * MS);
        for (int i = 0; i < 50; i++) {
            playback.frame(i * 20 * MS + (i % 3) * 30 * MS, 20 * MS); // up to 60 ms late, under the 100 ms buffer
        }

        assertThat(playback.underruns()).isZero();
    }

    @Test
    void aLateFrameIsAnUnderrunAndShiftsTheRestOfTheReply() {
        ReplyPlayback playback = new ReplyPlayback(100 * MS);
        playback.frame(0, 20 * MS);           // plays 100..120
        playback.frame(10 * MS, 20 * MS);     // due at 120, here: plays 120..140
        playback.frame(190 * MS, 20 * MS);    // due at 140, 50 ms late: gap 50, plays 190..210
        playback.frame(200 * MS, 20 * MS);    // due at 210 (shifted), on time

        assertThat(playback.underruns()).isEqualTo(1);
        assertThat(playback.gapMs()).isEqualTo(50.0);
        assertThat(playback.endNanos()).isEqualTo(230 * MS);
    }

    @Test
    void withoutAJitterBufferTheSecondFrameMustBeThereWhenTheFirstEnds() {
        ReplyPlayback playback = new ReplyPlayback(0);
        playback.frame(0, 20 * MS);
        playback.frame(21 * MS, 20 * MS);
        playback.frame(60 * MS, 20 * MS);

        assertThat(playback.underruns()).isEqualTo(2);
        assertThat(playback.gapMs()).isEqualTo(1.0 + 19.0);
    }

    @Test
    void frameDurationComesFromPcmBytesAndTheSampleRate() {
        ReplyPlayback playback = new ReplyPlayback(0);
        playback.frame(0, 640, 16_000); // 320 samples = 20 ms
        playback.frame(0, 480, 24_000); // 240 samples = 10 ms

        assertThat(playback.audioMs()).isEqualTo(30.0);
        assertThat(playback.frames()).isEqualTo(2);
    }

    @Test
    void noFrameNoPlayback() {
        ReplyPlayback playback = new ReplyPlayback(100 * MS);

        assertThat(playback.started()).isFalse();
        assertThat(playback.endNanos()).isZero();
        assertThatThrownBy(() -> new ReplyPlayback(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

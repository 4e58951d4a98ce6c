package dev.voxline.gateway.echo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyPlayheadTests {

    @Test
    void framesSentAheadPlayOneAfterAnotherAndAnUnderrunRestartsAtTheSendTime() {
        ReplyPlayhead playhead = new ReplyPlayhead();
        // The pacer's burst at the start of a turn: ten 20 ms frames sent at once.
        for (int k = 0; k < 10; k++) {
            assertThat(playhead.next(1_000_000, 320, 16_000)).isEqualTo(1_000_000 + k * 20_000L);
        }
        assertThat(playhead.next(1_050_000, 960, 48_000)).isEqualTo(1_200_000);
        // Synthesis fell behind: the caller heard silence, the next frame plays when it is sent.
        assertThat(playhead.next(2_000_000, 320, 16_000)).isEqualTo(2_000_000);
    }

    @Test
    void afterThePausedLeadWasDroppedTheResumedAudioPlaysWhenItIsSent() {
        ReplyPlayhead playhead = new ReplyPlayhead();
        for (int k = 0; k < 10; k++) {
            playhead.next(1_000_000, 320, 16_000);
        }
        // Paused 60 ms in: the client dropped the 140 ms it had not played; the resume is sent 1 s later.
        playhead.dropped(1_060_000);
        assertThat(playhead.next(2_060_000, 320, 16_000)).isEqualTo(2_060_000);
    }
}

package dev.voxline.gateway.echo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTests {

    @Test
    void framesOfOneMessageGetTheirOwnCaptureTimes() {
        CaptureClock clock = new CaptureClock();
        // 100 ms messages (5 frames each) arriving 100 ms apart, each when its last sample was captured. The first
        // message teaches the clock where a message ends; from the second on every frame has its own time.
        for (int k = 0; k < 5; k++) {
            clock.startMicros(k, 1_100_000);
        }
        for (int message = 1; message < 10; message++) {
            long arrival = 1_000_000 + (message + 1) * 100_000L;
            for (int k = 0; k < 5; k++) {
                long seq = message * 5L + k;
                assertThat(clock.startMicros(seq, arrival)).isBetween(1_000_000 + seq * 20_000 - 1_000,
                        1_000_000 + seq * 20_000 + 1_000);
            }
        }
    }

    @Test
    void jitterDoesNotMoveTheClockButAGapReanchorsIt() {
        CaptureClock clock = new CaptureClock();
        assertThat(clock.startMicros(0, 20_000)).isZero();
        assertThat(clock.startMicros(1, 40_000 + 30_000)).isBetween(20_000L, 20_100L); // late: jitter
        assertThat(clock.startMicros(2, 60_000)).isEqualTo(40_000);
        // The client stopped sending for 5 s and started again: its frames are captured now, not 5 s ago.
        assertThat(clock.startMicros(3, 5_080_000)).isEqualTo(5_060_000);
    }
}

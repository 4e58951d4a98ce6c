package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuWindowTests {

    @Test
    void theMachinesBusyShareLeavesIdleAndIowaitOut() {
        long[] before = CpuWindow.parseMachine("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n");
        long[] after = CpuWindow.parseMachine("cpu  250 0 100 900 50 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");

        assertThat(before).containsExactly(150, 1000);
        // 200 busy jiffies of 300
        assertThat(CpuWindow.busyShare(before, after)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void noTimeNoShare() {
        long[] same = {10, 100};
        assertThat(CpuWindow.busyShare(same, same)).isNaN();
    }
}

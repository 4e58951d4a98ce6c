package dev.voxline.gateway.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class PacingClockTests {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final PacingClock clock = new PacingClock(time);

    @Test
    void everyStartedSessionTicksEveryTickOnTheOneClock() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        PacingTicker first = new PacingTicker(clock, a::incrementAndGet);
        PacingTicker second = new PacingTicker(clock, b::incrementAndGet);
        first.start();
        first.start();
        second.start();
        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a).hasValue(10);
        assertThat(b).hasValue(10);
        assertThat(clock.ticking()).isEqualTo(2);
    }

    @Test
    void aStoppedSessionTicksNoMoreAndTheClockRestartsForTheNext() {
        AtomicInteger a = new AtomicInteger();
        PacingTicker ticker = new PacingTicker(clock, a::incrementAndGet);
        ticker.start();
        time.advanceTimeBy(Duration.ofMillis(30));
        ticker.stop();
        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a).hasValue(3);
        assertThat(clock.ticking()).isZero();
        ticker.start();
        time.advanceTimeBy(Duration.ofMillis(20));
        assertThat(a).hasValue(5);
    }

    @Test
    void aSessionMayStopItselfInItsTickAndAFailingTickStopsNoOther() {
        AtomicInteger others = new AtomicInteger();
        PacingTicker[] self = new PacingTicker[1];
        self[0] = new PacingTicker(clock, () -> self[0].stop());
        PacingTicker failing = new PacingTicker(clock, () -> {
            throw new IllegalStateException("boom");
        });
        PacingTicker other = new PacingTicker(clock, others::incrementAndGet);
        self[0].start();
        failing.start();
        other.start();
        time.advanceTimeBy(Duration.ofMillis(50));
        assertThat(others).hasValue(5);
        assertThat(clock.ticking()).isEqualTo(2);
    }
}

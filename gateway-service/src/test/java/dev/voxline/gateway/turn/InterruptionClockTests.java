package dev.voxline.gateway.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterruptionClockTests {

    private static final long T0 = 1_700_000_000_000_000L;

    private final InterruptionClock clock = new InterruptionClock();

    @Test
    void anInterruptionWithoutAPauseRunsFromItsDecisionToNow() {
        long detected = clock.detectedUs(T0);
        assertThat(detected).isEqualTo(T0);
        assertThat(clock.stopDelayMs(detected, T0 + 45_000)).isEqualTo(45.0);
    }

    @Test
    void aConfirmedPauseCountsFromTheSpeechThatPausedTheAgentToThePause() {
        clock.paused(T0, T0 + 30_000);
        long detected = clock.detectedUs(T0 + 900_000); // llm-service confirmed it from the words, later
        assertThat(detected).isEqualTo(T0);
        assertThat(clock.stopDelayMs(detected, T0 + 950_000)).isEqualTo(30.0);

        clock.cleared();
        assertThat(clock.detectedUs(T0 + 2_000_000)).isEqualTo(T0 + 2_000_000);
        assertThat(clock.stopDelayMs(T0 + 2_000_000, T0 + 2_010_000)).isEqualTo(10.0);
    }

    @Test
    void afterAResumeTheVoiceStopsWhenTheNextInterruptionComes() {
        clock.paused(T0, T0 + 30_000);
        clock.resumed();
        long detected = clock.detectedUs(T0 + 500_000);
        assertThat(detected).isEqualTo(T0 + 500_000);
        assertThat(clock.stopDelayMs(detected, T0 + 520_000)).isEqualTo(20.0);
    }

    @Test
    void anUnknownDecisionHasNoStopDelay() {
        assertThat(clock.stopDelayMs(0, T0)).isEqualTo(-1.0);
    }
}

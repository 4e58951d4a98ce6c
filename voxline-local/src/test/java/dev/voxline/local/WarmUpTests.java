package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up without a stack: what it says, and that a gateway it cannot reach is a problem, not an exception. */
class WarmUpTests {

    @Test
    void anUnreachableGatewayIsAProblemNotAnException() {
        WarmUp.Result result = WarmUp.run(1, 3);

        assertThat(result.problem()).startsWith("the gateway: ").contains("127.0.0.1:1");
        assertThat(result.sessionId()).isNull();
        assertThat(result.turns()).isEqualTo(3);
        assertThat(result.answered()).isZero();
        assertThat(result.describe()).startsWith("warm-up: 0 of 3 turns answered in ").contains("(the gateway: ");
    }

    @Test
    void describesWhatItDidInOneLine() {
        assertThat(new WarmUp.Result("sess_1", 3, 3, 2_440, null).describe())
                .isEqualTo("warm-up: 3 of 3 turns answered in 2.4 s");
        assertThat(new WarmUp.Result("sess_1", 3, 1, 9_060, "turn 2: no reply audio within 8 s").describe())
                .isEqualTo("warm-up: 1 of 3 turns answered in 9.1 s (turn 2: no reply audio within 8 s)");
        assertThat(WarmUp.run(1, 0)).isEqualTo(new WarmUp.Result(null, 0, 0, 0, null));
        assertThat(WarmUp.run(1, 0).describe()).startsWith("warm-up: off (--warm-up=0)");
    }

    @Test
    void theShippedPhraseIsSixteenKilohertzSpeech() {
        Wav phrase = Wav.classPath(WarmUp.PHRASE);
        assertThat(phrase.sampleRate()).isEqualTo(16_000);
        assertThat(phrase.durationMs()).isBetween(1_000L, 2_000L);
    }
}

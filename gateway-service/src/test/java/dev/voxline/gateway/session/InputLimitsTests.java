package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InputLimitsTests {

    private final InputLimits limits = new InputLimits(new GatewayProperties(0, 1_000, 5, 200, false,
            Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 60, 10, true));

    @Test
    void framesUpToTheLimitsPass() {
        assertThat(limits.textFrame(200)).isNull();
        assertThat(limits.audioFrame(1_000)).isNull();
        assertThat(limits.audioFrame(0)).isNull();
        assertThat(limits.typedText("héllo")).isNull(); // five characters, six bytes
    }

    @Test
    void oversizeFramesAndHalfSamplesAreRefused() {
        assertThat(limits.textFrame(201).code()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        assertThat(limits.audioFrame(1_002).code()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        assertThat(limits.audioFrame(641).code()).isEqualTo(ErrorCodes.INVALID_AUDIO_FRAME);
    }

    @Test
    void typedTextMustSaySomethingWithinTheCharacterLimit() {
        assertThat(limits.typedText(null).code()).isEqualTo(ErrorCodes.INVALID_MESSAGE);
        assertThat(limits.typedText("  ").code()).isEqualTo(ErrorCodes.INVALID_MESSAGE);
        assertThat(limits.typedText("😀😀😀😀😀")).isNull(); // five code points, ten chars
        assertThat(limits.typedText("sixsix").code()).isEqualTo(ErrorCodes.TEXT_TOO_LONG);
    }

    @Test
    void aTurnReportNamesItsTurnAndANonNegativeAmount() {
        assertThat(InputLimits.turnReport("playback.position", "turn_1", "playedMs", 0L)).isNull();
        ClientError negative = InputLimits.turnReport("playback.position", "turn_1", "playedMs", -1L);
        assertThat(negative.turnId()).isEqualTo("turn_1");
        assertThat(negative.message()).contains("playedMs");
        assertThat(InputLimits.turnReport("client.latency", null, "e2eMs", 12.5).code())
                .isEqualTo(ErrorCodes.INVALID_MESSAGE);
        assertThat(InputLimits.turnReport("client.latency", "turn_1", "e2eMs", null)).isNotNull();
    }
}

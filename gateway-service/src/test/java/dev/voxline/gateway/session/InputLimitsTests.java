package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputLimitsTests {

    private final InputLimits limits = new InputLimits(new GatewayProperties(InstanceIndex.of(0), 1_000, 5, 200, false,
            Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 60, 10, true, List.of()));

    @Test
    void framesUpToTheLimitsPass() {
        assertThat(limits.textFrame(200)).isNull();
        assertThat(limits.audioFrame(1_000)).isNull();
        assertThat(limits.audioFrame(0)).isNull();
    }

    @Test
    void oversizeFramesAndHalfSamplesAreRefused() {
        assertThat(limits.textFrame(201).code()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        assertThat(limits.audioFrame(1_002).code()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        assertThat(limits.audioFrame(641).code()).isEqualTo(ErrorCodes.INVALID_AUDIO_FRAME);
    }
}

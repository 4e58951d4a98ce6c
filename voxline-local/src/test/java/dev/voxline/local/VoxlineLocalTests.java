package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code ./voxline up}'s command line, parsed without starting anything. */
class VoxlineLocalTests {

    @Test
    void threeWarmUpTurnsByDefault() {
        VoxlineLocal.Launch launch = VoxlineLocal.parse(new String[] {"--port=9090"});
        assertThat(launch.warmUpTurns()).isEqualTo(3);
        assertThat(launch.options().gatewayPort()).isEqualTo(9090);
    }

    @Test
    void theWarmUpTakesItsTurnsInEitherForm() {
        assertThat(VoxlineLocal.parse(new String[] {"--warm-up=0"}).warmUpTurns()).isZero();
        assertThat(VoxlineLocal.parse(new String[] {"--warm-up", "5", "--free-ports"}).warmUpTurns()).isEqualTo(5);
    }

    @Test
    void aBadWarmUpIsAClearError() {
        for (String bad : new String[] {"three", "-1", "21", ""}) {
            assertThatThrownBy(() -> VoxlineLocal.parse(new String[] {"--warm-up=" + bad})).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--warm-up needs a number of turns from 0 to 20: " + bad);
        }
        assertThatThrownBy(() -> VoxlineLocal.parse(new String[] {"--warm-up"}))
                .hasMessage("--warm-up needs a value");
    }

    @Test
    void helpIsNoLaunchAndTheUsageNamesTheWarmUp() {
        assertThat(VoxlineLocal.parse(new String[] {"--help"})).isNull();
        assertThat(VoxlineLocal.usage()).contains("--warm-up=N");
    }
}

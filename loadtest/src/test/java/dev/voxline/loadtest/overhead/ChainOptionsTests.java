package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChainOptionsTests {

    @Test
    void thePipelinesSettingsAreTheDefaults() {
        assertThat(ChainOptions.parse(List.of())).isEqualTo(ChainOptions.pipeline());
        assertThat(ChainOptions.pipeline().toArgs()).containsExactly("--linger-ms=0", "--partitions=12");
        assertThat(ChainOptions.pipeline().describe())
                .isEqualTo("linger.ms 0, fetch.max.wait.ms default (500), 12 partitions per topic");
    }

    @Test
    void changedSettingsTravelToTheChainsJvmAndBack() {
        ChainOptions changed = new ChainOptions(1, 5, 3);

        assertThat(changed.toArgs()).containsExactly("--linger-ms=1", "--fetch-max-wait-ms=5", "--partitions=3");
        assertThat(ChainOptions.parse(changed.toArgs())).isEqualTo(changed);
    }

    @Test
    void badSettingsAreRefusedWithTheOptionToFix() {
        assertThatThrownBy(() -> new ChainOptions(-1, null, 12)).hasMessageContaining("--linger-ms");
        assertThatThrownBy(() -> new ChainOptions(0, -5, 12)).hasMessageContaining("--fetch-max-wait-ms");
        assertThatThrownBy(() -> new ChainOptions(0, null, 0)).hasMessageContaining("--partitions");
        assertThatThrownBy(() -> ChainOptions.parse(List.of("--acks=all"))).hasMessageContaining("--acks=all");
    }
}

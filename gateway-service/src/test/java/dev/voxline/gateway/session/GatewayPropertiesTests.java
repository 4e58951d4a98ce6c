package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayPropertiesTests {

    @Test
    void theGatewayPacksLongerRecordsFromItsBusyThresholdOn() {
        GatewayProperties properties = new GatewayProperties(0, 65536, 2000, 16384, false,
                Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 60, 10, true, List.of());

        assertThat(properties.uplinkFramesPerRecord(1)).isEqualTo(1);
        assertThat(properties.uplinkFramesPerRecord(9)).isEqualTo(1);
        assertThat(properties.uplinkFramesPerRecord(10)).isEqualTo(3);
        assertThat(properties.maxUplinkFramesPerRecord()).isEqualTo(3);
        assertThatThrownBy(() -> new GatewayProperties(0, 65536, 2000, 16384, false,
                Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 50, 10, true, List.of()))
                .hasMessageContaining("busy-uplink-record-ms");
    }
}

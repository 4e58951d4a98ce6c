package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class GatewayPropertiesTests {

    @Test
    void theGatewayPacksLongerRecordsFromItsBusyThresholdOn() {
        GatewayProperties properties = new GatewayProperties(InstanceIndex.of(0), 65536, 2000, 16384, false,
                Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 60, 10, true, List.of());

        assertThat(properties.uplinkFramesPerRecord(1)).isEqualTo(1);
        assertThat(properties.uplinkFramesPerRecord(9)).isEqualTo(1);
        assertThat(properties.uplinkFramesPerRecord(10)).isEqualTo(3);
        assertThat(properties.maxUplinkFramesPerRecord()).isEqualTo(3);
        assertThatThrownBy(() -> new GatewayProperties(InstanceIndex.of(0), 65536, 2000, 16384, false,
                Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20, 50, 10, true, List.of()))
                .hasMessageContaining("busy-uplink-record-ms");
    }

    private static GatewayProperties bound(Map<String, Object> environment) {
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
        return new Binder(ConfigurationPropertySources.from(source)).bindOrCreate("voxline.gateway",
                GatewayProperties.class);
    }

    @Test
    void browserPagesOnLoopbackOriginsAreAllowedUnlessConfiguredOtherwise() {
        assertThat(bound(Map.of()).allowedOrigins()).containsExactly("http://localhost:*", "http://127.0.0.1:*",
                "http://[::1]:*", "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*");
        assertThat(bound(Map.of("VOXLINE_GATEWAY_ALLOWEDORIGINS", "https://app.example.com,http://localhost:*"))
                .allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:*");
    }
}

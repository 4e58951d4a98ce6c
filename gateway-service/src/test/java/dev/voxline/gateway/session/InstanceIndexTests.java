package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code voxline.gateway.instance-index}: a number, or a StatefulSet pod's name whose ordinal is the index. */
class InstanceIndexTests {

    @Test
    void aNumberOrANameEndingInOneIsTheIndex() {
        assertThat(InstanceIndex.valueOf("0").value()).isZero();
        assertThat(InstanceIndex.valueOf(" 3 ").value()).isEqualTo(3);
        assertThat(InstanceIndex.valueOf("gateway-service-2").value()).isEqualTo(2);
        assertThat(InstanceIndex.valueOf("gateway-11").value()).isEqualTo(11);
    }

    @Test
    void anythingElseIsRefusedWithThePropertyNamed() {
        for (String bad : new String[] {"", "gateway", "gateway-service-", "-1", "gateway-2a", "99999999999"}) {
            assertThatThrownBy(() -> InstanceIndex.valueOf(bad), bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("voxline.gateway.instance-index");
        }
        assertThatThrownBy(() -> InstanceIndex.of(-1)).hasMessageContaining(">= 0");
    }

    @Test
    void springBindsThePodNameThatKubernetesHandsTheGateway() {
        assertThat(bind(Map.of("voxline.gateway.instance-index", "gateway-service-3")).instanceIndex().value())
                .isEqualTo(3);
        assertThat(bind(Map.of("voxline.gateway.instance-index", "1")).instanceIndex().value()).isEqualTo(1);
        assertThat(bind(Map.of("voxline.gateway.instance-index", 2)).instanceIndex().value()).isEqualTo(2);
        assertThat(bind(Map.of("voxline.gateway.max-text-chars", "100")).instanceIndex().value()).isZero();
    }

    private static GatewayProperties bind(Map<String, ?> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("voxline.gateway", GatewayProperties.class);
    }
}

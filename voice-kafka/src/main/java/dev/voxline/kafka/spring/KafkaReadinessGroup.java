package dev.voxline.kafka.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds the {@code kafka} indicator to the {@code readiness} probe group; {@code liveness} stays Boot's (the
 * application's liveness state only). Done here rather than with {@code management.endpoint.health.group.readiness
 * .include}: Boot checks at start-up that every name a group includes exists, and a service on the in-process
 * transport has no {@code kafka} indicator. Registered only next to that indicator.
 *
 * <p>Works before or after Boot's own probe groups: it extends a {@code readiness} group that exists and otherwise
 * creates one (the readiness state plus Kafka) that Boot then keeps.
 */
final class KafkaReadinessGroup implements HealthEndpointGroupsPostProcessor {

    static final String READINESS = "readiness";
    static final String READINESS_STATE = "readinessState";

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
        groups.getNames().forEach(name -> all.put(name, groups.get(name)));
        all.put(READINESS, new WithKafka(groups.get(READINESS), groups.getPrimary()));
        return HealthEndpointGroups.of(groups.getPrimary(), all);
    }

    /**
     * The members of {@code readiness} (null: just the readiness state) plus Kafka, shown as the main health endpoint
     * shows its components (so a service that is not ready tells which consumer waits).
     */
    private record WithKafka(HealthEndpointGroup readiness, HealthEndpointGroup primary)
            implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            if (KafkaHealthIndicator.NAME.equals(name)) {
                return true;
            }
            return readiness != null ? readiness.isMember(name) : READINESS_STATE.equals(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return primary.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return primary.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return (readiness != null ? readiness : primary).getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return (readiness != null ? readiness : primary).getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return readiness != null ? readiness.getAdditionalPath() : null;
        }
    }
}

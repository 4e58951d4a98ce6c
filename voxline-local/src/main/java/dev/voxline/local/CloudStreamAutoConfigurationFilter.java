package dev.voxline.local;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * All services share one class path in voxline-local, so metrics-service's Spring Cloud Stream binder (and what it
 * pulls in: Spring Cloud Function, Spring Integration, Spring Kafka) would auto-configure in every context: start-up
 * time and memory for nothing, and — worse — Spring Cloud Stream binds any lone {@code Function}/{@code Consumer}
 * bean it finds to a Kafka topic. The launcher sets {@value #PROPERTY}{@code =false} on the contexts of services that
 * do not use it, and this filter drops those auto-configurations there, as if the jars were absent (which they are
 * when the service runs on its own). Without the property it filters nothing.
 */
public final class CloudStreamAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    public static final String PROPERTY = "voxline.local.cloud-stream";

    private static final String[] PACKAGES = {
            "org.springframework.cloud.stream.",
            "org.springframework.cloud.function.",
            "org.springframework.boot.integration.autoconfigure.",
            "org.springframework.boot.kafka.autoconfigure.",
            // Hibernate Validator comes with Spring Cloud Stream too; elsewhere it would validate configuration
            // properties that the service, run alone, never validates
            "org.springframework.boot.validation.autoconfigure.",
    };

    private boolean enabled = true;

    @Override
    public void setEnvironment(Environment environment) {
        enabled = environment.getProperty(PROPERTY, Boolean.class, true);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = enabled || name == null || !isCloudStream(name);
        }
        return matches;
    }

    static boolean isCloudStream(String autoConfigurationClass) {
        for (String prefix : PACKAGES) {
            if (autoConfigurationClass.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

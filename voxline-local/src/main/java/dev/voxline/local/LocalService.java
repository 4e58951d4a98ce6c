package dev.voxline.local;

import dev.voxline.gateway.GatewayApplication;
import dev.voxline.llm.LlmApplication;
import dev.voxline.metrics.MetricsApplication;
import dev.voxline.stt.SttApplication;
import dev.voxline.tts.TtsApplication;
import dev.voxline.vad.VadApplication;

/**
 * The services the embedded default hosts, each as its own Spring application context. {@code usesCloudStream}
 * marks the services that bind with Spring Cloud Stream: only their contexts get its auto-configuration (the
 * binder is on the one shared class path because of them; see {@link CloudStreamAutoConfigurationFilter}).
 */
public enum LocalService {

    GATEWAY("gateway-service", GatewayApplication.class, 8080, false),
    VAD("vad-service", VadApplication.class, 8081, false),
    STT("stt-service", SttApplication.class, 8082, false),
    LLM("llm-service", LlmApplication.class, 8083, false),
    TTS("tts-service", TtsApplication.class, 8084, false),
    METRICS("metrics-service", MetricsApplication.class, 8085, true);

    private final String serviceName;
    private final Class<?> applicationClass;
    private final int defaultPort;
    private final boolean usesCloudStream;

    LocalService(String serviceName, Class<?> applicationClass, int defaultPort, boolean usesCloudStream) {
        this.serviceName = serviceName;
        this.applicationClass = applicationClass;
        this.defaultPort = defaultPort;
        this.usesCloudStream = usesCloudStream;
    }

    /** Its {@code spring.application.name} and {@code spring.config.name} ({@code <name>.yml}). */
    public String serviceName() {
        return serviceName;
    }

    public Class<?> applicationClass() {
        return applicationClass;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public boolean usesCloudStream() {
        return usesCloudStream;
    }
}

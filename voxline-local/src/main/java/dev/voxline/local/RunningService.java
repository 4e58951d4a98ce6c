package dev.voxline.local;

import java.net.URI;
import org.springframework.context.ConfigurableApplicationContext;

/** One service context of a {@link LocalStack}. */
public final class RunningService implements AutoCloseable {

    private final String name;
    private final ConfigurableApplicationContext context;
    private final int port;

    RunningService(String name, ConfigurableApplicationContext context, int port) {
        this.name = name;
        this.context = context;
        this.port = port;
    }

    /** {@code spring.application.name}, e.g. {@code vad-service}; an extra gateway is {@code gateway-service-<index>}. */
    public String name() {
        return name;
    }

    /** The port it actually listens on (also when started with {@code server.port=0}). */
    public int port() {
        return port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public URI healthUri() {
        return URI.create("http://127.0.0.1:" + port + "/actuator/health");
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return name + " :" + port;
    }
}

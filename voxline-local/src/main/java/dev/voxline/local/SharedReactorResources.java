package dev.voxline.local;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * Reactor Netty's JVM-wide event loops and connection pool, shared by every service context of a {@link LocalStack}
 * and never disposed by one of them. Boot gives each context its own {@link ReactorResourceFactory} on the global
 * resources, and the first context to close disposes them, which closes every other context's open connections:
 * stopping one service (a restart) would drop the gateway's WebSockets. The loops are daemon threads and end with
 * the JVM.
 */
final class SharedReactorResources extends ReactorResourceFactory {

    private static final SharedReactorResources INSTANCE = new SharedReactorResources();

    static synchronized SharedReactorResources get() {
        if (!INSTANCE.isRunning()) {
            INSTANCE.afterPropertiesSet();
        }
        return INSTANCE;
    }

    private SharedReactorResources() {
        setUseGlobalResources(true);
    }

    @Override
    public void stop() {
        // another context may still serve on these loops
    }

    @Override
    public void destroy() {
        // likewise
    }
}

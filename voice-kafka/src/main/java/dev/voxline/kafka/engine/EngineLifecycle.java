package dev.voxline.kafka.engine;

import java.util.Collection;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * An {@link EngineRegistry}'s lifecycle in a Spring context: warm-up at start, in a phase before the stages start
 * consuming (so before the service reports ready), and close at shutdown, after the stages have stopped.
 */
public final class EngineLifecycle implements SmartLifecycle {

    /** Before {@code SessionStage}s (the default phase) start, after they stop. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1_000;

    private final EngineRegistry<?> registry;
    private final Collection<String> warmUp;
    private volatile boolean running;

    /** {@code warmUp}: the engines to warm up at start (usually the default; none is allowed). */
    public EngineLifecycle(EngineRegistry<?> registry, Collection<String> warmUp) {
        this.registry = registry;
        this.warmUp = List.copyOf(warmUp);
    }

    /** Warms up the registry's default engine. */
    public static EngineLifecycle warmingTheDefault(EngineRegistry<?> registry) {
        return new EngineLifecycle(registry, List.of(registry.defaultName()));
    }

    @Override
    public void start() {
        registry.warmUp(warmUp);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        registry.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

package dev.voxline.llm.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The chat models a session can choose by name ({@code SessionConfig.engines.llm}), and the configured default.
 * Each engine is created once, on first use, and shared by every session; one that cannot be created (a provider
 * without its settings) is reported to the session that asked for it each time it asks. Closing closes the engines
 * that hold resources (the context does it at shutdown).
 */
public final class LlmEngines implements AutoCloseable {

    private final String defaultName;
    private final Map<String, Supplier<LlmEngine>> factories;
    private final Map<String, LlmEngine> created = new LinkedHashMap<>();

    /** {@code factories}: name → how to create that engine; {@code defaultName} must be one of them. */
    public LlmEngines(String defaultName, Map<String, Supplier<LlmEngine>> factories) {
        this.factories = new LinkedHashMap<>(factories);
        if (!this.factories.containsKey(defaultName)) {
            throw new IllegalStateException("unknown LLM engine '" + defaultName + "' (voxline.llm.engine); "
                    + "available: " + String.join(", ", this.factories.keySet()));
        }
        this.defaultName = defaultName;
    }

    /** Just this engine, as the default (tests). */
    public static LlmEngines of(LlmEngine engine) {
        return new LlmEngines(engine.name(), Map.of(engine.name(), () -> engine));
    }

    public String defaultName() {
        return defaultName;
    }

    public Set<String> names() {
        return factories.keySet();
    }

    public LlmEngine defaultEngine() {
        return get(defaultName);
    }

    /**
     * The engine of that name (null or blank: the default), created on first use.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException    when it cannot be created (its settings are missing)
     */
    public synchronized LlmEngine get(String name) {
        String key = name == null || name.isBlank() ? defaultName : name.strip();
        LlmEngine engine = created.get(key);
        if (engine != null) {
            return engine;
        }
        Supplier<LlmEngine> factory = factories.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("unknown LLM engine '" + key + "'; available: "
                    + String.join(", ", factories.keySet()));
        }
        engine = factory.get();
        created.put(key, engine);
        return engine;
    }

    /** Closes the engines created so far that hold resources (HTTP clients, models). */
    @Override
    public synchronized void close() {
        for (LlmEngine engine : created.values()) {
            if (engine instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
        created.clear();
    }
}

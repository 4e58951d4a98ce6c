package dev.voxline.vad.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The detectors a vad-service offers, by name, each created once on first use and shared by the sessions that
 * choose it ({@code SessionConfig.engines.vad}); sessions that name none get the configured default.
 */
public final class VadEngines implements AutoCloseable {

    private final Map<String, Supplier<VadEngine>> factories;
    private final Map<String, VadEngine> created = new ConcurrentHashMap<>();
    private final String defaultName;

    public VadEngines(Map<String, Supplier<VadEngine>> factories, String defaultName) {
        this.factories = new LinkedHashMap<>(factories);
        if (!this.factories.containsKey(defaultName)) {
            throw new IllegalStateException("unknown VAD engine '" + defaultName + "' (voxline.vad.engine); "
                    + "available: " + String.join(", ", this.factories.keySet()));
        }
        this.defaultName = defaultName;
    }

    /** A registry of one engine, which is the default. */
    public static VadEngines of(VadEngine engine) {
        return new VadEngines(Map.of(engine.name(), () -> engine), engine.name());
    }

    public String defaultName() {
        return defaultName;
    }

    public Set<String> names() {
        return factories.keySet();
    }

    public VadEngine defaultEngine() {
        return get(defaultName);
    }

    /** The named engine; null or blank means the default. */
    public VadEngine get(String name) {
        String key = name == null || name.isBlank() ? defaultName : name;
        Supplier<VadEngine> factory = factories.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("unknown VAD engine '" + name + "'; available: "
                    + String.join(", ", factories.keySet()));
        }
        return created.computeIfAbsent(key, k -> factory.get());
    }

    @Override
    public void close() {
        for (VadEngine engine : created.values()) {
            if (engine instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort at shutdown
                }
            }
        }
        created.clear();
    }
}

package dev.voxline.stt.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's recognisers by name, created once and shared by every session, and the configured default
 * ({@code voxline.stt.engine}). A session picks one by name ({@code SessionConfig.engines.stt}); null means the
 * default.
 */
public final class SttEngines {

    private final Map<String, SttEngine> byName = new LinkedHashMap<>();
    private final SttEngine defaultEngine;

    public SttEngines(String defaultName, SttEngine... engines) {
        for (SttEngine engine : engines) {
            byName.put(engine.name(), engine);
        }
        this.defaultEngine = byName.get(defaultName);
        if (defaultEngine == null) {
            throw new IllegalStateException(unknown(defaultName) + " (voxline.stt.engine)");
        }
    }

    /** One engine, which is also the default. */
    public static SttEngines of(SttEngine engine) {
        return new SttEngines(engine.name(), engine);
    }

    public SttEngine defaultEngine() {
        return defaultEngine;
    }

    /** The engine named {@code name}, or the default for null; an unknown name is an {@link IllegalArgumentException}. */
    public SttEngine select(String name) {
        if (name == null || name.isBlank()) {
            return defaultEngine;
        }
        SttEngine engine = byName.get(name);
        if (engine == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        return engine;
    }

    private String unknown(String name) {
        return "unknown STT engine '" + name + "'; available: " + String.join(", ", byName.keySet());
    }
}

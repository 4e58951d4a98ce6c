package dev.voxline.tts.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The synthesisers this service has, by name, and the one a session gets when it names none
 * ({@code voxline.tts.engine}). Engines are shared by all sessions.
 */
public final class TtsEngines {

    private final Map<String, TtsEngine> byName;
    private final TtsEngine defaultEngine;

    public TtsEngines(Map<String, TtsEngine> byName, String defaultName) {
        this.byName = Map.copyOf(new LinkedHashMap<>(byName));
        this.defaultEngine = byName.get(defaultName);
        if (defaultEngine == null) {
            throw new IllegalStateException("unknown TTS engine '" + defaultName + "' (voxline.tts.engine); "
                    + "available: " + String.join(", ", new java.util.TreeSet<>(byName.keySet())));
        }
    }

    /** Just {@code engine}, the default. */
    public static TtsEngines of(TtsEngine engine) {
        return new TtsEngines(Map.of(engine.name(), engine), engine.name());
    }

    public TtsEngine defaultEngine() {
        return defaultEngine;
    }

    /** The engine named {@code name}; null when there is none. */
    public TtsEngine get(String name) {
        return name != null ? byName.get(name) : null;
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }
}

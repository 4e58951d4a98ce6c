package dev.voxline.metrics.report;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Tag values taken from events other services send, kept few: every distinct value is a time series per histogram
 * bucket, so a producer naming a new engine per call (or a bug) must not be able to multiply them. Absent values
 * are {@link #UNKNOWN}; per key (a stage's tag), the first {@code limit} distinct values are kept and any later one is
 * {@link #OTHER}, as is a value too long to be a name.
 */
final class BoundedTagValues {

    static final String UNKNOWN = "unknown";
    static final String OTHER = "other";
    /** Engines, providers and models a deployment runs side by side: a handful each. */
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LENGTH = 64;

    private final int limit;
    private final ConcurrentMap<String, Set<String>> seen = new ConcurrentHashMap<>();

    BoundedTagValues(int limit) {
        this.limit = limit;
    }

    String of(String key, String value) {
        if (value == null || value.isBlank()) {
            return UNKNOWN;
        }
        String name = value.strip();
        if (name.length() > MAX_LENGTH) {
            return OTHER;
        }
        Set<String> values = seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
        if (values.contains(name)) {
            return name;
        }
        synchronized (values) {
            if (values.size() >= limit) {
                return OTHER;
            }
            values.add(name);
            return name;
        }
    }
}

package dev.voxline.contracts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Collections that remember only their newest entries: the recent turns, hops or sessions a service looks back on,
 * bounded so that a long-running service's memory does not grow with every session it has seen. Not thread-safe.
 */
public final class Bounded {

    private Bounded() {
    }

    /** A map of at most {@code max} entries in insertion order; adding one more drops the eldest. */
    public static <K, V> Map<K, V> newestEntries(int max) {
        return map(max, false);
    }

    /** A map of at most {@code max} entries in access order; adding one more drops the least recently used. */
    public static <K, V> Map<K, V> recentlyUsed(int max) {
        return map(max, true);
    }

    /** A set of at most {@code max} elements; adding one more drops the eldest. */
    public static <E> Set<E> newestElements(int max) {
        return Collections.newSetFromMap(newestEntries(max));
    }

    private static <K, V> Map<K, V> map(int max, boolean accessOrder) {
        if (max < 1) {
            throw new IllegalArgumentException("a bounded map holds at least one entry, not " + max);
        }
        return new LinkedHashMap<>(16, 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}

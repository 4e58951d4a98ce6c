package dev.voxline.metrics.summary;

import java.util.SortedMap;

/**
 * Body of {@code GET /api/v1/metrics/summary}.
 *
 * @param eventsTotal  every record ingested from voice.metrics, readable or not
 * @param eventsByType the same, per event type ({@code unknown} / {@code invalid} for records that were skipped)
 * @param turns        the finished turns' figures over the last N turns and the last T seconds, every session
 */
public record MetricsSummary(long eventsTotal, SortedMap<String, Long> eventsByType, RollingWindows.Summary turns) {

    public static MetricsSummary of(SortedMap<String, Long> eventsByType, RollingWindows.Summary turns) {
        return new MetricsSummary(eventsByType.values().stream().mapToLong(Long::longValue).sum(), eventsByType,
                turns);
    }
}

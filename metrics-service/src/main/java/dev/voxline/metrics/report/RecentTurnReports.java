package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The latest turn reports in memory, for {@code GET /api/v1/turns} (bounded, the oldest forgotten first), and every
 * new one as it comes, for {@code GET /api/v1/turns/stream} ({@link #live()}: a subscriber that cannot keep up misses
 * reports rather than holding anyone up).
 */
public final class RecentTurnReports {

    private final int capacity;
    private final Deque<VoiceEvent.TurnMetrics> reports = new ArrayDeque<>();
    private final Sinks.Many<VoiceEvent.TurnMetrics> live = Sinks.many().multicast().directBestEffort();

    public RecentTurnReports(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void add(VoiceEvent.TurnMetrics report) {
        if (reports.size() == capacity) {
            reports.removeFirst();
        }
        reports.addLast(report);
        live.tryEmitNext(report); // under the lock: one emitter at a time, as the sink requires
    }

    /** Reports from now on (none of the earlier ones), to every subscriber. */
    public Flux<VoiceEvent.TurnMetrics> live() {
        return live.asFlux();
    }

    /** Up to {@code limit} reports, newest first; only {@code sessionId}'s when it is not null. */
    public synchronized List<VoiceEvent.TurnMetrics> latest(String sessionId, int limit) {
        List<VoiceEvent.TurnMetrics> latest = new ArrayList<>(Math.min(limit, reports.size()));
        Iterator<VoiceEvent.TurnMetrics> newestFirst = reports.descendingIterator();
        while (newestFirst.hasNext() && latest.size() < limit) {
            VoiceEvent.TurnMetrics report = newestFirst.next();
            if (sessionId == null || sessionId.equals(report.sessionId())) {
                latest.add(report);
            }
        }
        return latest;
    }

    public int capacity() {
        return capacity;
    }
}

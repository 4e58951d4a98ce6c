package dev.voxline.metrics.summary;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/metrics/summary} (every session) and {@code GET /api/v1/sessions/{id}/summary} (one): the turn
 * figures' count/avg/min/max/p50/p95/p99 over the last {@code lastTurns} turns (default 10) and the last
 * {@code lastSeconds} seconds (default 60).
 */
@RestController
class MetricsSummaryController {

    static final int MAX_LAST_TURNS = 1_000;
    static final long MAX_LAST_SECONDS = 86_400;

    private final EventTally tally;
    private final RollingWindows windows;

    MetricsSummaryController(EventTally tally, RollingWindows windows) {
        this.tally = tally;
        this.windows = windows;
    }

    @GetMapping("/api/v1/metrics/summary")
    Mono<MetricsSummary> summary(@RequestParam(defaultValue = "10") int lastTurns,
                                 @RequestParam(defaultValue = "60") long lastSeconds) {
        check(lastTurns, lastSeconds);
        return Mono.fromSupplier(() -> MetricsSummary.of(tally.snapshot(), windows.overall(lastTurns, lastSeconds)));
    }

    @GetMapping("/api/v1/sessions/{sessionId}/summary")
    Mono<RollingWindows.Summary> session(@PathVariable String sessionId,
                                         @RequestParam(defaultValue = "10") int lastTurns,
                                         @RequestParam(defaultValue = "60") long lastSeconds) {
        check(lastTurns, lastSeconds);
        return Mono.fromSupplier(() -> windows.session(sessionId, lastTurns, lastSeconds).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, "no turn of session " + sessionId
                        + " has been reported (or it was forgotten)")));
    }

    private static void check(int lastTurns, long lastSeconds) {
        if (lastTurns < 1 || lastTurns > MAX_LAST_TURNS || lastSeconds < 1 || lastSeconds > MAX_LAST_SECONDS) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "lastTurns must be 1-" + MAX_LAST_TURNS
                    + " and lastSeconds 1-" + MAX_LAST_SECONDS);
        }
    }
}

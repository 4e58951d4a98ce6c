package dev.voxline.metrics.report;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/turns?session=…&limit=…}: the latest turn reports, newest first, as the same JSON as
 * {@code turn.metrics} on voice.turns and the downlink (written by {@link JsonCodec}, so the field names are
 * {@code eou_delay} … and absent fields are left out).
 */
@RestController
@RequestMapping("/api/v1")
class TurnReportController {

    static final int DEFAULT_LIMIT = 20;

    private final RecentTurnReports recent;

    TurnReportController(RecentTurnReports recent) {
        this.recent = recent;
    }

    @GetMapping(path = "/turns", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<byte[]> turns(@RequestParam(name = "session", required = false) String session,
                       @RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit) {
        if (limit < 1) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be at least 1"));
        }
        String sessionId = session == null || session.isBlank() ? null : session;
        return Mono.fromSupplier(() -> json(recent.latest(sessionId, Math.min(limit, recent.capacity()))));
    }

    /**
     * {@code GET /api/v1/turns/stream?session=…}: every turn report from now on as a server-sent event
     * ({@code event: turn.metrics}, {@code id:} the turn, {@code data:} the report's JSON), one session's or all.
     */
    @GetMapping(path = "/turns/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> stream(@RequestParam(name = "session", required = false) String session) {
        String sessionId = session == null || session.isBlank() ? null : session;
        return recent.live()
                .filter(report -> sessionId == null || sessionId.equals(report.sessionId()))
                .map(report -> ServerSentEvent.builder(JsonCodec.get().encodeToString(report))
                        .event("turn.metrics").id(report.turnId()).build());
    }

    private static byte[] json(List<VoiceEvent.TurnMetrics> reports) {
        JsonCodec codec = JsonCodec.get();
        StringBuilder json = new StringBuilder(256 * reports.size() + 2).append('[');
        for (int i = 0; i < reports.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(codec.encodeToString(reports.get(i)));
        }
        return json.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

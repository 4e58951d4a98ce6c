package dev.voxline.metrics.alert;

import dev.voxline.contracts.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The operators' view of the alerts: {@code GET /api/v1/alerts} (every rule's state), {@code GET
 * /api/v1/alerts/stream} (each transition as a server-sent event), {@code GET /api/v1/alerts/rules}, and the rules
 * replaced without a restart: {@code PUT /api/v1/alerts/rules} (a YAML or JSON body with a {@code rules:} list) or
 * {@code POST /api/v1/alerts/rules/reload} (the rules file again). Rules that are not valid are a 400 naming each
 * rule and field at fault, and the rules in force stay.
 */
@RestController
@RequestMapping("/api/v1/alerts")
@ConditionalOnProperty(prefix = "voxline.alerts", name = "enabled", matchIfMissing = true)
class AlertController {

    private final AlertMonitor monitor;
    /** Null: the rules come from the service configuration and cannot be re-read. */
    private final String rulesFile;

    AlertController(AlertMonitor monitor, AlertProperties properties) {
        this.monitor = monitor;
        this.rulesFile = properties.file() == null || properties.file().isBlank() ? null : properties.file();
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<byte[]> alerts(@RequestParam(name = "rule", required = false) String rule) {
        return Mono.fromSupplier(() -> JsonCodec.get().encode(monitor.statuses().stream()
                .filter(status -> rule == null || rule.isBlank() || rule.equals(status.ruleId())).toList()));
    }

    /** {@code event: alert}, {@code id:} the rule, {@code data:} the {@code alert.transition} JSON. */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> stream() {
        return monitor.live().map(transition -> ServerSentEvent.builder(JsonCodec.get().encodeToString(transition))
                .event("alert").id(transition.ruleId()).build());
    }

    @GetMapping(path = "/rules", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<byte[]> rules() {
        return Mono.fromSupplier(() -> rulesJson(monitor.rules()));
    }

    @PutMapping(path = "/rules", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> replace(@RequestBody(required = false) Mono<String> body) {
        return body.defaultIfEmpty("")
                .map(document -> apply(() -> AlertRules.parse(document, "the request body")));
    }

    @PostMapping(path = "/rules/reload", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> reload() {
        if (rulesFile == null) {
            return Mono.just(error(HttpStatus.CONFLICT, "no rules file (voxline.alerts.file) is configured: the rules"
                    + " come from the service configuration; PUT /api/v1/alerts/rules replaces them", List.of()));
        }
        return Mono.fromCallable(() -> apply(() -> AlertRules.read(Path.of(rulesFile))))
                .subscribeOn(Schedulers.boundedElastic()); // reads a file
    }

    private ResponseEntity<byte[]> apply(java.util.function.Supplier<List<AlertRule>> rules) {
        List<AlertRule> valid;
        try {
            valid = rules.get();
        } catch (InvalidAlertRulesException e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage() + " (the rules in force are unchanged)",
                    e.problems());
        }
        monitor.replaceRules(valid);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(rulesJson(valid));
    }

    private static ResponseEntity<byte[]> error(HttpStatus status, String message, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", message);
        body.put("problems", problems);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(JsonCodec.get().encode(body));
    }

    /** The rules in the format they are written in, so that the body can be edited and PUT back. */
    static byte[] rulesJson(List<AlertRule> rules) {
        List<Map<String, Object>> written = rules.stream().map(AlertController::written).toList();
        return JsonCodec.get().encodeToString(Map.of("rules", written)).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> written(AlertRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rule.id());
        json.put("name", rule.name());
        json.put("metric", rule.metric());
        json.put("statistic", rule.statistic().label());
        json.put("comparison", rule.comparison().symbol());
        json.put("threshold", rule.threshold());
        Map<String, Object> window = new LinkedHashMap<>();
        if (rule.windowTurns() > 0) {
            window.put("turns", rule.windowTurns());
        }
        if (!rule.windowTime().isZero()) {
            window.put("time", AlertRule.format(rule.windowTime()));
        }
        json.put("window", window);
        json.put("for", AlertRule.format(rule.forDuration()));
        json.put("severity", rule.severity());
        json.put("labels", rule.labels());
        if (rule.description() != null) {
            json.put("description", rule.description());
        }
        json.put("condition", rule.condition());
        return json;
    }
}

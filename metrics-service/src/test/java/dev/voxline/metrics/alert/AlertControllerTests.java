package dev.voxline.metrics.alert;

import static dev.voxline.metrics.alert.AlertFixtures.e2e;
import static dev.voxline.metrics.alert.AlertFixtures.e2eRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.report.MutableClock;
import dev.voxline.metrics.report.TurnReport;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** The REST and SSE slice: the controller on WebFlux's default configuration, no service context. */
class AlertControllerTests {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final RollingWindows windows = new RollingWindows(clock, 1_000, 100, 100);
    private final AlertMonitor monitor = new AlertMonitor(new AlertEvaluator(clock, windows, List.of(e2eRule("0s"))),
            transition -> { }, new RecordingTransport(), new AlertMeters(new SimpleMeterRegistry()), null, true,
            clock);

    private WebTestClient client(String rulesFile) {
        AlertProperties properties = new AlertProperties(true, rulesFile, List.of(), Duration.ofSeconds(1), true,
                "http://localhost:8085", new AlertProperties.Alertmanager(null, Duration.ofSeconds(5),
                Duration.ofMinutes(1)));
        return WebTestClient.bindToController(new AlertController(monitor, properties)).build();
    }

    private void slowTurn(String turn) {
        var report = e2e("s-1", turn, 2_000);
        windows.add(report);
        monitor.onReport(new TurnReport(report, new SessionRoute("s-1", 0, null), false));
    }

    @Test
    void listsEveryRulesCurrentState() {
        slowTurn("t-1");
        client(null).get().uri("/api/v1/alerts").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].ruleId").isEqualTo("e2e_p95")
                .jsonPath("$[0].state").isEqualTo("firing")
                .jsonPath("$[0].value").isEqualTo(2_000.0)
                .jsonPath("$[0].firedAt").isEqualTo(clock.millis())
                .jsonPath("$[0].condition").isEqualTo("p95(e2e) > 1000 over the last 10 turns within 60s")
                .jsonPath("$[0].resolvedAt").doesNotExist();
        client(null).get().uri("/api/v1/alerts?rule=other").exchange()
                .expectStatus().isOk().expectBody().json("[]");
    }

    @Test
    void theStreamSendsEachTransitionAsAnAlertEvent() {
        // transitions keep coming (fire, resolve, fire …): the response starts with the first one it streams
        AtomicInteger n = new AtomicInteger();
        Disposable publisher = Flux.interval(Duration.ofMillis(50)).subscribe(tick -> {
            if (n.incrementAndGet() % 2 == 1) {
                slowTurn("t-" + n.get());
            } else {
                clock.advance(Duration.ofSeconds(61));
                monitor.tick();
            }
        });
        FluxExchangeResult<ServerSentEvent<String>> result = client(null).get().uri("/api/v1/alerts/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
        try {
            List<ServerSentEvent<String>> events = result.getResponseBody().take(2).collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(events).extracting(ServerSentEvent::event).containsOnly("alert");
            assertThat(events).extracting(ServerSentEvent::id).containsOnly("e2e_p95");
            assertThat(events).allSatisfy(event -> assertThat(event.data())
                    .contains("\"type\":\"alert.transition\"").contains("\"ruleId\":\"e2e_p95\"")
                    .containsPattern("\"state\":\"(firing|resolved)\""));
        } finally {
            publisher.dispose();
        }
    }

    @Test
    void putReplacesTheRulesAndInvalidOnesAreA400NamingRuleAndFieldWithTheOldRulesKept() {
        WebTestClient client = client(null);
        client.put().uri("/api/v1/alerts/rules").contentType(MediaType.valueOf("application/yaml"))
                .bodyValue("""
                        rules:
                          - { id: ok, metric: e2e, statistic: p95, threshold: 1000 }
                          - { id: bad, metric: e2e, statistic: p95, threshold: -1 }
                        """)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error").value(message -> assertThat((String) message)
                        .contains("rule 'bad' (rules[1]): field 'threshold': must not be negative: -1")
                        .contains("the rules in force are unchanged"))
                .jsonPath("$.problems.length()").isEqualTo(1);
        assertThat(monitor.rules()).containsExactly(e2eRule("0s"));

        client.put().uri("/api/v1/alerts/rules").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"rules\":[{\"id\":\"ttft\",\"metric\":\"llm_ttft\",\"statistic\":\"p99\","
                        + "\"threshold\":700,\"for\":\"45s\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.rules[0].id").isEqualTo("ttft")
                .jsonPath("$.rules[0].for").isEqualTo("45s")
                .jsonPath("$.rules[0].window.turns").isEqualTo(10);
        assertThat(monitor.rules()).extracting(AlertRule::id).containsExactly("ttft");

        // what GET gives can be PUT back as it is
        byte[] written = client.get().uri("/api/v1/alerts/rules").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        client.put().uri("/api/v1/alerts/rules").contentType(MediaType.APPLICATION_JSON).bodyValue(written)
                .exchange().expectStatus().isOk();
        assertThat(monitor.rules()).extracting(AlertRule::forDuration).containsExactly(Duration.ofSeconds(45));
    }

    @Test
    void reloadRereadsTheRulesFileAndKeepsTheOldRulesWhenItIsInvalid() throws IOException {
        Path file = dir.resolve("alerts.yml");
        Files.writeString(file, "rules:\n  - { id: ttfb, metric: tts_ttfb, statistic: max, threshold: 250 }\n");
        WebTestClient client = client(file.toString());

        client.post().uri("/api/v1/alerts/rules/reload").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.rules[0].id").isEqualTo("ttfb");
        assertThat(monitor.rules()).extracting(AlertRule::id).containsExactly("ttfb");

        Files.writeString(file, "rules:\n  - { id: ttfb, metric: tts_ttfb, statistic: max, threshold: 250, "
                + "for: sometime }\n");
        client.post().uri("/api/v1/alerts/rules/reload").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(message -> assertThat((String) message)
                        .contains(file.toString()).contains("rule 'ttfb' (rules[0]): field 'for': bad duration"));
        assertThat(monitor.rules()).extracting(AlertRule::threshold).containsExactly(250.0);
        assertThat(monitor.rules()).extracting(AlertRule::forDuration).containsExactly(Duration.ZERO);
    }

    @Test
    void reloadWithoutARulesFileIsAConflict() {
        client(null).post().uri("/api/v1/alerts/rules/reload").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.error").value(message -> assertThat((String) message)
                        .contains("voxline.alerts.file"));
        assertThat(monitor.rules()).containsExactly(e2eRule("0s"));
    }
}

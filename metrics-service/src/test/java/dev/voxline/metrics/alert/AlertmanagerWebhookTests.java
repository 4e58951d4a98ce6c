package dev.voxline.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** Delivery to a local HTTP server standing in for Alertmanager's v2 API. */
class AlertmanagerWebhookTests {

    record Received(String method, String path, String contentType, String body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpServer server;
    private AlertmanagerWebhook webhook;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        webhook = new AlertmanagerWebhook(WebClient.create(),
                "http://127.0.0.1:" + server.getAddress().getPort() + "/", "http://metrics.example:8085",
                Duration.ofSeconds(5), Duration.ofMinutes(1), registry);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static VoiceEvent.AlertTransition transition(String state, long ts, Long firedAt) {
        return new VoiceEvent.AlertTransition(1, ts, null, "e2e_p95", "TurnE2eSlow", state, "e2e", "p95", ">",
                1_234.5, 1_000, "critical", Map.of("team", "voice"), ts - 30_000, firedAt, "slow turns");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> next() throws InterruptedException {
        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("a post reached the receiver").isNotNull();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v2/alerts");
        assertThat(request.contentType()).startsWith("application/json");
        return JsonCodec.get().decode(request.body().getBytes(StandardCharsets.UTF_8), List.class);
    }

    @Test
    void firingAndResolvedArePostedInAlertmanagersV2Body() throws InterruptedException {
        long firedAt = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();
        webhook.notify(transition("pending", firedAt - 30_000, null));
        webhook.notify(transition("firing", firedAt, firedAt));

        List<Map<String, Object>> firing = next();
        assertThat(firing).as("pending is not posted").hasSize(1);
        Map<String, Object> alert = firing.get(0);
        assertThat((Map<String, String>) alert.get("labels")).containsEntry("alertname", "TurnE2eSlow")
                .containsEntry("severity", "critical").containsEntry("rule", "e2e_p95")
                .containsEntry("metric", "e2e").containsEntry("team", "voice");
        assertThat((Map<String, String>) alert.get("annotations"))
                .containsEntry("summary", "TurnE2eSlow: p95(e2e) = 1234.500 > 1000")
                .containsEntry("description", "slow turns");
        assertThat(alert.get("startsAt")).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(alert).doesNotContainKey("endsAt");
        assertThat(alert.get("generatorURL")).isEqualTo("http://metrics.example:8085/api/v1/alerts?rule=e2e_p95");

        webhook.notify(transition("resolved", firedAt + 90_000, firedAt));
        Map<String, Object> resolved = next().get(0);
        assertThat(resolved.get("startsAt")).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(resolved.get("endsAt")).isEqualTo("2026-01-01T10:01:30Z");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(counter("delivered")).isEqualTo(2);
    }

    @Test
    void firingAlertsAreResentAfterTheResendIntervalUntilResolved() throws InterruptedException {
        long t0 = 1_000_000;
        webhook.notify(transition("firing", t0, t0));
        next();
        webhook.tick(t0 + 59_000);
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("not yet a minute").isNull();
        webhook.tick(t0 + 60_000);
        assertThat(next()).singleElement().satisfies(a -> assertThat(a).doesNotContainKey("endsAt"));

        webhook.notify(transition("resolved", t0 + 70_000, t0));
        next();
        webhook.tick(t0 + 200_000);
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing firing").isNull();
    }

    @Test
    void aFailedPostIsCountedAndTheNextOneStillGoes() throws InterruptedException {
        status.set(500);
        webhook.notify(transition("firing", 1_000, 1_000L));
        next();
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("failed") == 1);

        status.set(200);
        webhook.notify(transition("resolved", 2_000, 1_000L));
        next();
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("delivered") == 1);

        server.stop(0); // nobody listening: a connection failure is counted the same way
        webhook.notify(transition("firing", 3_000, 3_000L));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("failed") == 2);
    }

    private double counter(String outcome) {
        return registry.get(AlertmanagerWebhook.NOTIFICATIONS).tag("outcome", outcome).counter().count();
    }
}

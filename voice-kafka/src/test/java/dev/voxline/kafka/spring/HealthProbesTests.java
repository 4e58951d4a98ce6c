package dev.voxline.kafka.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.InProcessVoiceTransport;
import dev.voxline.kafka.KafkaVoiceTransport;
import dev.voxline.kafka.VoiceTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The probes of a service on voice-kafka's auto-configuration: liveness is the process only, readiness includes Kafka
 * when the service runs on it; on the in-process transport (no Kafka indicator) the service still starts.
 */
class HealthProbesTests {

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aConsumerWithoutPartitionsMakesTheServiceNotReadyButLeavesItAlive() throws Exception {
        context = start(null);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        KafkaVoiceTransport transport = context.getBean(KafkaVoiceTransport.class);
        transport.subscribe("probe-test", List.of("voice.control"), record -> { }); // no broker: never assigned

        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"kafka\"", "OUT_OF_SERVICE", "\"readinessState\"");
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"").doesNotContain("kafka");
    }

    @Test
    void onTheInProcessTransportThereIsNoKafkaInReadinessAndTheServiceStarts() throws Exception {
        try (InProcessVoiceTransport inProcess = new InProcessVoiceTransport()) {
            context = start(inProcess);

            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"UP\"").doesNotContain("kafka");
            assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(context.getBeansOfType(KafkaVoiceTransport.class)).isEmpty();
        }
    }

    private ConfigurableApplicationContext start(VoiceTransport transport) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ProbedService.class).properties(
                "server.port=0",
                "spring.application.name=probe-test",
                "voxline.kafka.bootstrap-servers=127.0.0.1:1",
                "voxline.tracing.enabled=false",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-components=always");
        if (transport != null) {
            builder.initializers(c -> c.getBeanFactory().registerSingleton("inProcessVoiceTransport", transport));
        }
        return builder.run();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProbedService {
    }
}

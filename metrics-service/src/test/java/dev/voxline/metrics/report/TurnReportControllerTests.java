package dev.voxline.metrics.report;

import static dev.voxline.metrics.report.RecentTurnReportsTests.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** The REST slice: the controller on WebFlux's default configuration, no service context. */
class TurnReportControllerTests {

    private final RecentTurnReports recent = new RecentTurnReports(1000);
    private final WebTestClient client = WebTestClient.bindToController(new TurnReportController(recent)).build();

    @Test
    void latestReportsNewestFirstWithTheCodecsFieldNames() {
        recent.add(report("s-1", "t-1"));
        recent.add(new VoiceEvent.TurnMetrics(1, 5, "s-1", "t-2", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, false, false, null,
                "incomplete after 10000 ms: no metrics from vad, stt, eou, llm, tts", null, null));

        client.get().uri("/api/v1/turns?session=s-1")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].turnId").isEqualTo("t-2")
                .jsonPath("$[0].type").isEqualTo("turn.metrics")
                .jsonPath("$[0].reason").isEqualTo("incomplete after 10000 ms: no metrics from vad, stt, eou, llm, tts")
                .jsonPath("$[0].e2e").doesNotExist()
                .jsonPath("$[1].turnId").isEqualTo("t-1")
                .jsonPath("$[1].eou_delay").isEqualTo(450.0)
                .jsonPath("$[1].transcription_delay").isEqualTo(130.0)
                .jsonPath("$[1].stt_rtf").isEqualTo(0.0625)
                .jsonPath("$[1].llm_ttft").isEqualTo(300.0)
                .jsonPath("$[1].first_clause_delay").isEqualTo(40.0)
                .jsonPath("$[1].prompt_tokens").isEqualTo(52)
                .jsonPath("$[1].tokens_per_second").isEqualTo(50.0)
                .jsonPath("$[1].tts_ttfb").isEqualTo(100.0)
                .jsonPath("$[1].tts_characters").isEqualTo(120)
                .jsonPath("$[1].transport").isEqualTo(6.0)
                .jsonPath("$[1].e2e").isEqualTo(905.0)
                .jsonPath("$[1].interrupted").isEqualTo(false)
                .jsonPath("$[1].eouDelay").doesNotExist();
    }

    @Test
    void filtersBySessionOnlyWhenAsked() {
        recent.add(report("s-1", "t-1"));
        recent.add(report("s-2", "t-2"));

        client.get().uri("/api/v1/turns?session=s-2").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].sessionId").isEqualTo("s-2");
        client.get().uri("/api/v1/turns").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(2).jsonPath("$[0].sessionId").isEqualTo("s-2");
        client.get().uri("/api/v1/turns?session=nobody").exchange()
                .expectStatus().isOk()
                .expectBody().json("[]");
    }

    @Test
    void limitDefaultsTo20AndIsHonoured() {
        for (int i = 0; i < 30; i++) {
            recent.add(report("s-1", "t-" + i));
        }

        client.get().uri("/api/v1/turns").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(TurnReportController.DEFAULT_LIMIT)
                .jsonPath("$[0].turnId").isEqualTo("t-29");
        client.get().uri("/api/v1/turns?session=s-1&limit=3").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(3).jsonPath("$[2].turnId").isEqualTo("t-27");
        client.get().uri("/api/v1/turns?limit=5000").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(30);
    }

    @Test
    void theStreamSendsEachNewReportOfTheSessionAsAServerSentEvent() {
        recent.add(report("s-1", "t-old")); // before the subscription: not streamed
        // reports keep coming, both sessions' in turn: the response starts with the first one it streams
        AtomicInteger published = new AtomicInteger();
        Disposable publisher = Flux.interval(Duration.ofMillis(50)).subscribe(tick -> {
            int n = published.incrementAndGet();
            recent.add(report("s-2", "t-other-" + n)); // another session's: filtered out
            recent.add(report("s-1", "t-" + n));
        });
        FluxExchangeResult<ServerSentEvent<String>> result = client.get().uri("/api/v1/turns/stream?session=s-1")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
        try {
            List<ServerSentEvent<String>> events = result.getResponseBody().take(2).collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(events).extracting(ServerSentEvent::id).allSatisfy(id -> assertThat(id).matches("t-\\d+"));
            assertThat(events).extracting(ServerSentEvent::event).containsOnly("turn.metrics");
            assertThat(events.get(0).data()).contains("\"eou_delay\":450.0").contains("\"sessionId\":\"s-1\"");
            int first = Integer.parseInt(events.get(0).id().substring(2));
            // best effort: a subscriber without demand misses reports, so only the order is certain
            assertThat(Integer.parseInt(events.get(1).id().substring(2))).as("newer").isGreaterThan(first);
        } finally {
            publisher.dispose();
        }
    }

    @Test
    void rejectsALimitBelowOne() {
        client.get().uri("/api/v1/turns?limit=0").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/turns?limit=many").exchange().expectStatus().isBadRequest();
    }
}

package dev.voxline.metrics.report;

import static dev.voxline.metrics.report.RecentTurnReportsTests.report;

import dev.voxline.contracts.event.VoiceEvent;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

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
    void rejectsALimitBelowOne() {
        client.get().uri("/api/v1/turns?limit=0").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/turns?limit=many").exchange().expectStatus().isBadRequest();
    }
}

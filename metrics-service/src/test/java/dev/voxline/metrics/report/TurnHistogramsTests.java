package dev.voxline.metrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The names and buckets Prometheus (and the Grafana dashboards and alert rules built on them) will see. */
class TurnHistogramsTests {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TurnHistograms histograms = new TurnHistograms(registry);

    @Test
    void exposesTheDesignsHistogramNamesInSecondsWithBucketsAroundTheTargets() {
        histograms.observe(report(850.0, 420.0, 6.0));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "voice_turn_e2e_seconds_bucket{le=\"0.8\"} 0",
                "voice_turn_e2e_seconds_bucket{le=\"1.0\"} 1",
                "voice_turn_e2e_seconds_count 1",
                "voice_llm_ttft_seconds_bucket{le=\"0.5\"}",
                "voice_tts_ttfb_seconds_bucket{le=\"0.3\"}",
                "voice_eou_delay_seconds_bucket{le=\"0.4\"} 0",
                "voice_eou_delay_seconds_bucket{le=\"0.5\"} 1",
                "voice_stt_transcription_delay_seconds_count 1",
                "voice_transport_seconds_bucket{le=\"0.005\"} 0",
                "voice_transport_seconds_bucket{le=\"0.01\"} 1");
    }

    @Test
    void absentFiguresAreNotObserved() {
        histograms.observe(report(null, null, null));

        String scrape = registry.scrape();

        assertThat(scrape).contains("voice_turn_e2e_seconds_count 0", "voice_transport_seconds_count 0",
                "voice_eou_delay_seconds_count 0");
    }

    private static TurnReport report(Double e2e, Double eouDelay, Double transport) {
        VoiceEvent.TurnMetrics metrics = new VoiceEvent.TurnMetrics(1, 0, "s-1", "t-1", eouDelay, 100.0, null, null,
                null, 250.0, null, null, null, null, null, 90.0, null, null, null, transport, e2e, false, false, null,
                null, null, null);
        return new TurnReport(metrics, new SessionRoute("s-1", 0, null), false);
    }
}

package dev.voxline.metrics.summary;

import dev.voxline.metrics.ingest.EventTally;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/metrics")
class MetricsSummaryController {

    private final EventTally tally;

    MetricsSummaryController(EventTally tally) {
        this.tally = tally;
    }

    @GetMapping("/summary")
    Mono<MetricsSummary> summary() {
        return Mono.fromSupplier(() -> MetricsSummary.of(tally.snapshot()));
    }
}

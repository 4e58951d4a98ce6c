package dev.voxline.metrics.report;

import dev.voxline.kafka.VoiceTransport;
import dev.voxline.metrics.KafkaMessages;
import dev.voxline.metrics.PeriodicTask;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Per-turn reports: assembled from voice.metrics, published on voice.turns through Spring Cloud Stream (output
 * binding {@value #TURNS_BINDING}, see metrics-service.yml) keyed by sessionId, and to the session's client over the
 * plain transport.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TurnReportProperties.class)
public class TurnReportConfiguration {

    public static final String TURNS_BINDING = "turnReports";

    @Bean
    TurnReportAssembler turnReportAssembler(TurnReportProperties properties, MeterRegistry registry) {
        TurnReportAssembler assembler = new TurnReportAssembler(Clock.systemUTC(), properties.turnTimeout(),
                properties.maxOpenTurns(), properties.rememberedTurns());
        bindAssemblerMeters(assembler, registry);
        return assembler;
    }

    /** The assembler's own counts: {@code voice_turns_timed_out_total} and the like. */
    static void bindAssemblerMeters(TurnReportAssembler assembler, MeterRegistry registry) {
        FunctionCounter.builder("voice.turns.late.events", assembler, TurnReportAssembler::lateEvents)
                .description("Metric events ignored because their turn had already been reported")
                .register(registry);
        FunctionCounter.builder("voice.turns.timed.out", assembler, TurnReportAssembler::timedOutTurns)
                .description("Turns reported incomplete after the turn timeout")
                .register(registry);
        FunctionCounter.builder("voice.turns.dropped", assembler, TurnReportAssembler::droppedTurns)
                .description("Open turns reported early because too many were open")
                .register(registry);
        Gauge.builder("voice.turns.open", assembler, TurnReportAssembler::openTurns)
                .description("Turns being assembled")
                .register(registry);
    }

    @Bean
    RecentTurnReports recentTurnReports(TurnReportProperties properties) {
        return new RecentTurnReports(properties.recentReports());
    }

    /** 10 000 turns overall, 100 per session, 10 000 sessions: a few MB at most. */
    @Bean
    RollingWindows rollingWindows() {
        return new RollingWindows(Clock.systemUTC(), 10_000, 100, 10_000);
    }

    @Bean
    TurnReporter turnReporter(TurnReportAssembler assembler, StreamBridge streamBridge, VoiceTransport transport,
                              MeterRegistry registry, RecentTurnReports recent, RollingWindows windows,
                              ObjectProvider<TurnReporter.Listener> listeners) {
        return new TurnReporter(assembler, report -> streamBridge.send(TURNS_BINDING, KafkaMessages.json(report, report.sessionId())), transport,
                new TurnHistograms(registry), recent, windows, listeners.orderedStream().toList());
    }

    @Bean
    PeriodicTask turnTimeouts(TurnReporter reporter, TurnReportProperties properties) {
        return new PeriodicTask("turn timeout check", properties.timeoutCheckInterval(), reporter::expireOverdue);
    }
}

package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.tracing.Span;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Feeds metric events to the {@link TurnReportAssembler} and sends every finished report where it belongs:
 * voice.turns, the session's client ({@code turn.metrics} on its downlink partition), the histograms, the recent
 * reports and the rolling windows, then to the {@link Listener}s (the alert rules), which see the windows with the
 * report in them; with tracing, each report is a {@code metrics.turn_report} span in its turn's trace.
 * Never throws: a report that cannot be sent somewhere is logged and still goes everywhere else.
 */
public final class TurnReporter {

    /** Where reports are published for anyone (voice.turns over Spring Cloud Stream in the service). */
    @FunctionalInterface
    public interface TurnsTopic {
        void publish(VoiceEvent.TurnMetrics report);
    }

    /** Told of every finished report after it is in the rolling windows. */
    @FunctionalInterface
    public interface Listener {
        void onReport(TurnReport report);
    }

    private static final Logger log = LoggerFactory.getLogger(TurnReporter.class);

    private final TurnReportAssembler assembler;
    private final TurnsTopic turnsTopic;
    private final VoiceTransport transport;
    private final TurnHistograms histograms;
    private final RecentTurnReports recent;
    private final RollingWindows windows;
    private final List<Listener> listeners;
    private volatile VoiceTracing tracing = VoiceTracing.NOOP;

    public TurnReporter(TurnReportAssembler assembler, TurnsTopic turnsTopic, VoiceTransport transport,
                        TurnHistograms histograms, RecentTurnReports recent, RollingWindows windows) {
        this(assembler, turnsTopic, transport, histograms, recent, windows, List.of());
    }

    public TurnReporter(TurnReportAssembler assembler, TurnsTopic turnsTopic, VoiceTransport transport,
                        TurnHistograms histograms, RecentTurnReports recent, RollingWindows windows,
                        List<Listener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.assembler = assembler;
        this.turnsTopic = turnsTopic;
        this.transport = transport;
        this.histograms = histograms;
        this.recent = recent;
        this.windows = windows;
    }

    /** One metric event from voice.metrics; {@code downlinkPartition} from its record's header, -1 if none. */
    public void onMetric(VoiceEvent event, int downlinkPartition) {
        onMetric(event, downlinkPartition, null);
    }

    /** {@link #onMetric(VoiceEvent, int)} with the record's {@code traceparent} (null if none). */
    public void onMetric(VoiceEvent event, int downlinkPartition, String traceparent) {
        publish(assembler.accept(event, downlinkPartition, traceparent));
    }

    /** Set by Spring when the service traces: each report is a {@code metrics.turn_report} span in its turn. */
    @Autowired(required = false)
    public void setTracing(VoiceTracing tracing) {
        this.tracing = tracing;
    }

    /** Reports the turns whose timeout has passed (called periodically). */
    public void expireOverdue() {
        publish(assembler.expire());
    }

    private void traceReport(TurnReport report) {
        VoiceEvent.TurnMetrics metrics = report.metrics();
        if (report.route().traceparent() == null) {
            return;
        }
        Span span = tracing.startSpan("metrics.turn_report", report.route().traceparent(), metrics.sessionId(),
                metrics.turnId(), 0);
        if (metrics.e2e() != null) {
            span.tag("voice.e2e_ms", metrics.e2e());
        }
        if (metrics.transport() != null) {
            span.tag("voice.transport_ms", metrics.transport());
        }
        span.tag("voice.report.complete", metrics.reason() == null);
        span.end();
    }

    private void publish(List<TurnReport> reports) {
        for (TurnReport report : reports) {
            VoiceEvent.TurnMetrics metrics = report.metrics();
            if (metrics.reason() == null) {
                log.debug("turn report session={} turn={} e2e={} eou_delay={} transport={}", metrics.sessionId(),
                        metrics.turnId(), metrics.e2e(), metrics.eouDelay(), metrics.transport());
            } else {
                log.info("turn report session={} turn={} e2e={}: {}", metrics.sessionId(), metrics.turnId(),
                        metrics.e2e(), metrics.reason());
            }
            traceReport(report);
            recent.add(metrics);
            if (!Boolean.TRUE.equals(metrics.synthetic())) { // a program's turns: reported, not counted
                windows.add(metrics);
                histograms.observe(report);
            }
            try {
                turnsTopic.publish(metrics);
            } catch (RuntimeException e) {
                log.warn("cannot publish turn report session={} turn={} on voice.turns: {}", metrics.sessionId(),
                        metrics.turnId(), e.toString());
            }
            if (report.route().downlinkPartition() < 0) {
                log.debug("turn report session={} turn={} not sent to the client: no downlink partition known",
                        metrics.sessionId(), metrics.turnId());
            } else {
                try {
                    transport.toDownlink(report.route(), metrics);
                } catch (RuntimeException e) {
                    log.warn("cannot send turn report session={} turn={} to the client: {}", metrics.sessionId(),
                            metrics.turnId(), e.toString());
                }
            }
            for (Listener listener : listeners) {
                try {
                    listener.onReport(report);
                } catch (RuntimeException e) {
                    log.warn("turn report session={} turn={}: listener failed: {}", metrics.sessionId(),
                            metrics.turnId(), e.toString(), e);
                }
            }
        }
    }
}

package dev.voxline.metrics.alert;

import static dev.voxline.metrics.alert.AlertFixtures.e2e;
import static dev.voxline.metrics.alert.AlertFixtures.e2eRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.report.MutableClock;
import dev.voxline.metrics.report.TurnReport;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** The monitor as the turn reporter drives it: a report is in the windows before the monitor hears of it. */
class AlertMonitorTests {

    private final MutableClock clock = new MutableClock();
    private final RollingWindows windows = new RollingWindows(clock, 1_000, 100, 100);
    private final RecordingTransport transport = new RecordingTransport();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<VoiceEvent.AlertTransition> alertsTopic = new CopyOnWriteArrayList<>();
    private final AlertMonitor monitor = new AlertMonitor(
            new AlertEvaluator(clock, windows, List.of(e2eRule("30s"), AlertFixtures.rules("""
                    rules: [{ id: ttfb, metric: tts_ttfb, statistic: value, threshold: 300, severity: warning }]
                    """).get(0))),
            alertsTopic::add, transport, new AlertMeters(registry), null, true, clock);

    private void report(String session, int downlinkPartition, VoiceEvent.TurnMetrics turn) {
        windows.add(turn);
        monitor.onReport(new TurnReport(turn, new SessionRoute(session, downlinkPartition, null), false));
    }

    @Test
    void eachTransitionGoesToVoiceAlertsTheLiveStreamAndTheMeters() {
        List<VoiceEvent.AlertTransition> streamed = new CopyOnWriteArrayList<>();
        Disposable subscription = monitor.live().subscribe(streamed::add);
        try {
            report("s-1", 0, e2e("s-1", "t-1", 1_800));
            clock.advance(Duration.ofSeconds(30));
            monitor.tick();
            assertThat(gauge("e2e_p95", "critical")).isEqualTo(1);
            clock.advance(Duration.ofSeconds(31)); // the slow turn slides out of the 60 s window
            monitor.tick();
        } finally {
            subscription.dispose();
        }

        assertThat(alertsTopic).extracting(VoiceEvent.AlertTransition::state)
                .containsExactly("pending", "firing", "resolved");
        assertThat(streamed).isEqualTo(alertsTopic);
        assertThat(registry.get(AlertMeters.TRANSITIONS).tags("rule", "e2e_p95", "state", "firing").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(AlertMeters.TRANSITIONS).tags("rule", "e2e_p95", "state", "resolved").counter()
                .count()).isEqualTo(1);
        assertThat(gauge("e2e_p95", "critical")).isZero();
        assertThat(gauge("ttfb", "warning")).as("every rule has its gauge").isZero();
    }

    @Test
    void aSlowTurnIsToldToItsOwnSessionsClientOnlyAndOnlyWithItsOwnFigures() {
        report("s-a", 3, AlertFixtures.turn("s-a", "t-a1", 1_500.0, 200.0, 450.0)); // slow: e2e and tts_ttfb
        report("s-b", 5, AlertFixtures.turn("s-b", "t-b1", 600.0, 200.0, 90.0)); // fast, while p95 is still high

        List<RecordingTransport.Sent> downlink = transport.downlink();
        assertThat(downlink).extracting(RecordingTransport.Sent::type).containsOnly("alert");
        assertThat(downlink).extracting(sent -> sent.route().sessionId()).containsOnly("s-a");
        assertThat(downlink).extracting(sent -> sent.route().downlinkPartition()).containsOnly(3);
        assertThat(downlink).extracting(sent -> (VoiceEvent.Alert) sent.event())
                .extracting(a -> a.sessionId() + " " + a.turnId() + " " + a.ruleId() + " " + a.value())
                .containsExactlyInAnyOrder("s-a t-a1 e2e_p95 1500.0", "s-a t-a1 ttfb 450.0");
        assertThat(downlink).allSatisfy(sent -> assertThat(sent.topic()).isEqualTo(Topics.DOWNLINK));

        report("s-b", 5, AlertFixtures.turn("s-b", "t-b2", 1_200.0, 200.0, 90.0));
        assertThat(transport.downlink()).filteredOn(sent -> sent.route().sessionId().equals("s-b"))
                .singleElement().satisfies(sent -> {
                    VoiceEvent.Alert alert = (VoiceEvent.Alert) sent.event();
                    assertThat(alert.sessionId()).isEqualTo("s-b");
                    assertThat(alert.turnId()).isEqualTo("t-b2");
                    assertThat(alert.value()).as("its own turn's e2e, not the window's p95").isEqualTo(1_200.0);
                    assertThat(alert.message()).doesNotContain("s-a").doesNotContain("1500");
                    assertThat(sent.route().downlinkPartition()).isEqualTo(5);
                });
    }

    @Test
    void aTurnWithNoKnownDownlinkIsNotToldAndAlertsCanBeSwitchedOff() {
        report("s-a", -1, e2e("s-a", "t-1", 1_500));
        assertThat(transport.downlink()).isEmpty();

        AlertMonitor quiet = new AlertMonitor(new AlertEvaluator(clock, windows, List.of(e2eRule("0s"))),
                alertsTopic::add, transport, new AlertMeters(new SimpleMeterRegistry()), null, false, clock);
        VoiceEvent.TurnMetrics slow = e2e("s-a", "t-2", 1_500);
        windows.add(slow);
        quiet.onReport(new TurnReport(slow, new SessionRoute("s-a", 1, null), false));
        assertThat(transport.downlink()).isEmpty();
        assertThat(alertsTopic).extracting(VoiceEvent.AlertTransition::state).contains("firing");
    }

    @Test
    void aFailingAlertsTopicDoesNotStopTheOtherDestinations() {
        AlertMonitor monitor = new AlertMonitor(new AlertEvaluator(clock, windows, List.of(e2eRule("0s"))),
                transition -> {
                    throw new IllegalStateException("broker down");
                }, transport, new AlertMeters(registry), null, true, clock);
        VoiceEvent.TurnMetrics slow = e2e("s-a", "t-1", 1_500);
        windows.add(slow);
        monitor.onReport(new TurnReport(slow, new SessionRoute("s-a", 2, null), false));

        assertThat(monitor.statuses()).singleElement().extracting(AlertStatus::state).isEqualTo("firing");
        assertThat(gauge("e2e_p95", "critical")).isEqualTo(1);
        assertThat(transport.downlink()).hasSize(1);
    }

    private double gauge(String rule, String severity) {
        return registry.get(AlertMeters.FIRING).tags("rule", rule, "severity", severity).gauge().value();
    }
}

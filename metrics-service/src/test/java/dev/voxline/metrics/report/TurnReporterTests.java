package dev.voxline.metrics.report;

import static dev.voxline.metrics.report.TurnFixtures.eou;
import static dev.voxline.metrics.report.TurnFixtures.gateway;
import static dev.voxline.metrics.report.TurnFixtures.llm;
import static dev.voxline.metrics.report.TurnFixtures.stt;
import static dev.voxline.metrics.report.TurnFixtures.tts;
import static dev.voxline.metrics.report.TurnFixtures.typedEou;
import static dev.voxline.metrics.report.TurnFixtures.vad;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.metrics.summary.RollingWindows;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TurnReporterTests {

    private final MutableClock clock = new MutableClock();
    private final RecordingTransport transport = new RecordingTransport();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecentTurnReports recent = new RecentTurnReports(10);
    private final List<VoiceEvent.TurnMetrics> turnsTopic = new CopyOnWriteArrayList<>();
    private final RollingWindows windows = new RollingWindows(Clock.systemUTC(), 100, 10, 10);
    private final TurnReporter reporter = new TurnReporter(
            new TurnReportAssembler(clock, Duration.ofSeconds(10), 100, 100), turnsTopic::add, transport,
            new TurnHistograms(registry), recent, windows);

    @Test
    void aCompletedTurnGoesToVoiceTurnsTheClientTheHistogramsAndTheRecentReports() {
        voiceTurn("s-1", "t-1", 3);

        assertThat(turnsTopic).singleElement().satisfies(report -> {
            assertThat(report.turnId()).isEqualTo("t-1");
            assertThat(report.e2e()).isEqualTo(905.0);
        });
        assertThat(transport.downlink()).singleElement().satisfies(sent -> {
            assertThat(sent.topic()).isEqualTo(Topics.DOWNLINK);
            assertThat(sent.route().sessionId()).isEqualTo("s-1");
            assertThat(sent.route().downlinkPartition()).isEqualTo(3);
            assertThat(sent.type()).isEqualTo("turn.metrics");
            assertThat(((VoiceEvent.TurnMetrics) sent.event()).eouDelay()).isEqualTo(450.0);
        });
        assertThat(recent.latest("s-1", 10)).extracting(VoiceEvent.TurnMetrics::turnId).containsExactly("t-1");
        assertSeconds(TurnHistograms.E2E, 0.905);
        assertSeconds(TurnHistograms.LLM_TTFT, 0.300);
        assertSeconds(TurnHistograms.TTS_TTFB, 0.100);
        assertSeconds(TurnHistograms.EOU_DELAY, 0.450);
        assertSeconds(TurnHistograms.TRANSCRIPTION_DELAY, 0.130);
        assertSeconds(TurnHistograms.TRANSPORT, 0.006);
    }

    @Test
    void aTypedTurnLeavesTheEndOfSpeechHistogramsAlone() {
        reporter.onMetric(typedEou("s-1", "t-1"), 0);
        reporter.onMetric(llm("s-1", "t-1", "g-1", false), 0);
        reporter.onMetric(tts("s-1", "t-1", "g-1", false), 0);
        reporter.onMetric(gateway("s-1", "t-1", true, false), 0);

        assertThat(turnsTopic).hasSize(1);
        assertThat(registry.get(TurnHistograms.EOU_DELAY).timer().count()).isZero();
        assertThat(registry.find(TurnHistograms.TRANSCRIPTION_DELAY).timers()).isEmpty(); // tagged: made on first use
        assertSeconds(TurnHistograms.E2E, 0.905);
        assertSeconds(TurnHistograms.TRANSPORT, 0.0025);
    }

    @Test
    void aTimedOutTurnIsPublishedByTheTimeoutCheckWithOnlyWhatItHas() {
        reporter.onMetric(vad("s-1", "t-1"), 2);
        reporter.expireOverdue();
        assertThat(turnsTopic).isEmpty();

        clock.advanceMillis(10_000);
        reporter.expireOverdue();

        assertThat(turnsTopic).singleElement()
                .satisfies(report -> assertThat(report.reason()).startsWith("incomplete after 10000 ms"));
        assertThat(transport.downlink()).hasSize(1);
        assertThat(registry.get(TurnHistograms.E2E).timer().count()).isZero();
        assertThat(registry.find(TurnHistograms.LLM_TTFT).timers()).isEmpty();
    }

    @Test
    void aTurnWithoutADownlinkPartitionIsNotSentToAClient() {
        voiceTurn("s-1", "t-1", -1);

        assertThat(turnsTopic).hasSize(1);
        assertThat(transport.downlink()).isEmpty();
    }

    @Test
    void aFailingVoiceTurnsPublisherDoesNotKeepTheReportFromTheClient() {
        TurnReporter failing = new TurnReporter(new TurnReportAssembler(clock, Duration.ofSeconds(10), 100, 100),
                report -> {
                    throw new IllegalStateException("binder down");
                }, transport, new TurnHistograms(registry), recent, windows);
        failing.onMetric(new VoiceEvent.GatewayTurnMetrics("s-1", "t-1", null, 1L, 0L, false, false, 0, 0, -1, false), 1);

        assertThat(transport.downlink()).hasSize(1);
        assertThat(recent.latest(null, 10)).hasSize(1);
    }

    @Test
    void aSyntheticSessionsTurnIsReportedButLeftOutOfTheWindowsAndHistograms() {
        reporter.onMetric(vad("s-1", "t-1"), 3);
        reporter.onMetric(stt("s-1", "t-1"), 3);
        reporter.onMetric(eou("s-1", "t-1"), 3);
        reporter.onMetric(llm("s-1", "t-1", "g-1", false), 3);
        reporter.onMetric(tts("s-1", "t-1", "g-1", false), 3);
        reporter.onMetric(new VoiceEvent.GatewayTurnMetrics("s-1", "t-1", 905.0, 1L, 905_001L, false, false, 2400,
                2400, 0.5, true), 3);

        assertThat(turnsTopic).singleElement().satisfies(report -> assertThat(report.synthetic()).isTrue());
        assertThat(transport.downlink()).singleElement()
                .satisfies(sent -> assertThat(((VoiceEvent.TurnMetrics) sent.event()).synthetic()).isTrue());
        assertThat(recent.latest("s-1", 10)).hasSize(1);
        assertThat(windows.overall(10, 60).turns()).as("alert and summary windows").isZero();
        assertThat(registry.get(TurnHistograms.E2E).timer().count()).isZero();

        voiceTurn("s-2", "t-2", 3);
        assertThat(turnsTopic.get(1).synthetic()).as("a caller's turn is not marked").isNull();
        assertThat(windows.overall(10, 60).turns()).isEqualTo(1);
        assertSeconds(TurnHistograms.E2E, 0.905);
    }

    private void voiceTurn(String session, String turn, int partition) {
        reporter.onMetric(vad(session, turn), partition);
        reporter.onMetric(stt(session, turn), partition);
        reporter.onMetric(eou(session, turn), partition);
        reporter.onMetric(llm(session, turn, "g-1", false), partition);
        reporter.onMetric(tts(session, turn, "g-1", false), partition);
        reporter.onMetric(gateway(session, turn, false, false), partition);
    }

    private void assertSeconds(String timerName, double seconds) {
        Timer timer = registry.get(timerName).timer();
        assertThat(timer.count()).as(timerName).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.NANOSECONDS) / 1e9).as(timerName)
                .isCloseTo(seconds, org.assertj.core.data.Offset.offset(1e-9));
    }
}

package dev.voxline.metrics.report;

import static dev.voxline.metrics.report.TurnFixtures.eou;
import static dev.voxline.metrics.report.TurnFixtures.gateway;
import static dev.voxline.metrics.report.TurnFixtures.gatewayWithoutAudio;
import static dev.voxline.metrics.report.TurnFixtures.llm;
import static dev.voxline.metrics.report.TurnFixtures.stt;
import static dev.voxline.metrics.report.TurnFixtures.tts;
import static dev.voxline.metrics.report.TurnFixtures.typedEou;
import static dev.voxline.metrics.report.TurnFixtures.vad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnReportAssemblerTests {

    private static final int PARTITION = 4;

    private final MutableClock clock = new MutableClock();
    private final TurnReportAssembler assembler = new TurnReportAssembler(clock, Duration.ofSeconds(10), 100, 100);

    @Test
    void voiceTurnIsReportedWhenItsLastStageReportsWithEveryField() {
        List<VoiceEvent> events = List.of(vad("s-1", "t-1"), stt("s-1", "t-1"), eou("s-1", "t-1"),
                llm("s-1", "t-1", "g-1", false), tts("s-1", "t-1", "g-1", false));
        for (VoiceEvent event : events) {
            assertThat(assembler.accept(event, PARTITION)).isEmpty();
            clock.advanceMillis(100);
        }

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION));

        VoiceEvent.TurnMetrics m = report.metrics();
        assertThat(m.v()).isEqualTo(VoiceEvent.SCHEMA_VERSION);
        assertThat(m.ts()).isEqualTo(clock.millis());
        assertThat(m.sessionId()).isEqualTo("s-1");
        assertThat(m.turnId()).isEqualTo("t-1");
        assertThat(m.eouDelay()).isEqualTo(450.0);
        assertThat(m.transcriptionDelay()).isEqualTo(130.0);
        assertThat(m.sttDuration()).isEqualTo(120.0);
        assertThat(m.sttAudioDuration()).isEqualTo(1800.0);
        assertThat(m.sttRtf()).isEqualTo(0.0625);
        assertThat(m.llmTtft()).isEqualTo(300.0);
        assertThat(m.firstClauseDelay()).isEqualTo(40.0);
        assertThat(m.llmDuration()).isEqualTo(900.0);
        assertThat(m.promptTokens()).isEqualTo(52);
        assertThat(m.completionTokens()).isEqualTo(30);
        assertThat(m.tokensPerSecond()).isEqualTo(50.0);
        assertThat(m.ttsTtfb()).isEqualTo(100.0);
        assertThat(m.ttsDuration()).isEqualTo(700.0);
        assertThat(m.ttsAudioDuration()).isEqualTo(2400.0);
        assertThat(m.ttsCharacters()).isEqualTo(120);
        assertThat(m.transport()).isEqualTo(1.5 + 2.0 + 1.25 + 0.75 + 0.5);
        assertThat(m.transportHops()).isEqualTo(new VoiceEvent.TurnMetrics.Hops(1.5, 2.0, 1.25, 0.75, 0.5));
        assertThat(m.e2e()).isEqualTo(905.0);
        assertThat(m.interrupted()).isFalse();
        assertThat(m.cancelled()).isFalse();
        assertThat(m.traceId()).isNull();
        assertThat(m.reason()).isNull();
        assertThat(m.sttEngine()).isEqualTo("vosk");
        assertThat(m.llmEngine()).isEqualTo("openai");
        assertThat(m.llmProvider()).isEqualTo("127.0.0.1");
        assertThat(m.llmModel()).isEqualTo("qwen2.5:0.5b");
        assertThat(m.ttsEngine()).isEqualTo("marytts");
        assertThat(m.ttsVoice()).isEqualTo("cmu-slt-hsmm");
        assertThat(report.typed()).isFalse();
        assertThat(report.route().sessionId()).isEqualTo("s-1");
        assertThat(report.route().downlinkPartition()).isEqualTo(PARTITION);
        assertThat(report.route().traceparent()).isNull();
        assertThat(assembler.openTurns()).isZero();
    }

    @Test
    void aTurnCompletesWhicheverOrderItsEventsArriveIn() {
        List<VoiceEvent> reversed = List.of(gateway("s-1", "t-1", false, false), tts("s-1", "t-1", "g-1", false),
                llm("s-1", "t-1", "g-1", false), eou("s-1", "t-1"), stt("s-1", "t-1"));
        for (VoiceEvent event : reversed) {
            assertThat(assembler.accept(event, PARTITION)).isEmpty();
        }

        TurnReport report = single(assembler.accept(vad("s-1", "t-1"), PARTITION));

        assertThat(report.metrics().reason()).isNull();
        assertThat(report.metrics().transport()).isEqualTo(6.0);
        assertThat(report.metrics().e2e()).isEqualTo(905.0);
    }

    @Test
    void typedTurnNeedsEouLlmTtsAndGatewayAndSumsItsThreeHops() {
        assertThat(assembler.accept(typedEou("s-1", "t-1"), PARTITION)).isEmpty();
        assertThat(assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION)).isEmpty();
        assertThat(assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION)).isEmpty();

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", true, false), PARTITION));

        VoiceEvent.TurnMetrics m = report.metrics();
        assertThat(report.typed()).isTrue();
        assertThat(m.reason()).isNull();
        assertThat(m.transport()).isEqualTo(1.25 + 0.75 + 0.5);
        assertThat(m.transportHops()).as("a typed turn has no uplink hops")
                .isEqualTo(new VoiceEvent.TurnMetrics.Hops(null, null, 1.25, 0.75, 0.5));
        assertThat(m.eouDelay()).isZero();
        assertThat(m.transcriptionDelay()).isZero();
        assertThat(m.sttDuration()).isNull();
        assertThat(m.sttAudioDuration()).isNull();
        assertThat(m.sttRtf()).isNull();
        assertThat(m.sttEngine()).isNull();
        assertThat(m.llmTtft()).isEqualTo(300.0);
        assertThat(m.ttsTtfb()).isEqualTo(100.0);
        assertThat(m.e2e()).isEqualTo(905.0);
    }

    @Test
    void aStageThatNeverAnswersYieldsAReportWithNullsAndAReasonAfterTheTimeout() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        assembler.accept(stt("s-1", "t-1"), PARTITION);
        assembler.accept(eou("s-1", "t-1"), PARTITION);
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);

        clock.advanceMillis(9_999);
        assertThat(assembler.expire()).isEmpty();
        clock.advanceMillis(1);
        TurnReport report = single(assembler.expire());

        VoiceEvent.TurnMetrics m = report.metrics();
        assertThat(m.reason()).isEqualTo("incomplete after 10000 ms: no metrics from tts, gateway");
        assertThat(m.ttsTtfb()).isNull();
        assertThat(m.ttsDuration()).isNull();
        assertThat(m.ttsAudioDuration()).isNull();
        assertThat(m.ttsCharacters()).isNull();
        assertThat(m.e2e()).isNull();
        assertThat(m.transport()).isNull();
        assertThat(m.transportHops()).as("the hops known so far, the missing ones null")
                .isEqualTo(new VoiceEvent.TurnMetrics.Hops(1.5, 2.0, 1.25, null, null));
        assertThat(m.interrupted()).isFalse();
        assertThat(m.eouDelay()).isEqualTo(450.0);
        assertThat(m.llmTtft()).isEqualTo(300.0);
        assertThat(m.sttDuration()).isEqualTo(120.0);
        assertThat(report.route().downlinkPartition()).isEqualTo(PARTITION);
        assertThat(assembler.openTurns()).isZero();
        assertThat(assembler.timedOutTurns()).isEqualTo(1);
        assertThat(assembler.expire()).isEmpty();
    }

    @Test
    void theTimeoutRunsFromTheTurnsFirstMetricEvent() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        clock.advanceMillis(9_000);
        assembler.accept(stt("s-1", "t-1"), PARTITION);
        clock.advanceMillis(1_000);

        TurnReport report = single(assembler.expire());

        assertThat(report.metrics().reason())
                .isEqualTo("incomplete after 10000 ms: no metrics from eou, llm, tts, gateway");
        assertThat(report.metrics().sttDuration()).isEqualTo(120.0);
        assertThat(report.metrics().eouDelay()).isNull();
        assertThat(report.metrics().llmTtft()).isNull();
    }

    @Test
    void theDeadlineMovesBackByTheReplyAudioOnceTtsReportsIt() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        assembler.accept(stt("s-1", "t-1"), PARTITION);
        assembler.accept(eou("s-1", "t-1"), PARTITION);
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION); // 2400 ms of audio the gateway plays first

        clock.advanceMillis(12_399);
        assertThat(assembler.expire()).isEmpty();
        clock.advanceMillis(1);
        TurnReport report = single(assembler.expire());

        assertThat(report.metrics().reason()).isEqualTo("incomplete after 12400 ms: no metrics from gateway");
        assertThat(report.metrics().ttsTtfb()).isEqualTo(100.0);
        assertThat(report.metrics().e2e()).isNull();
        assertThat(report.metrics().transport()).isNull();
    }

    @Test
    void eachTurnTimesOutOnItsOwnDeadline() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        clock.advanceMillis(5_000);
        assembler.accept(vad("s-2", "t-1"), 7);
        clock.advanceMillis(5_000);

        assertThat(assembler.expire()).extracting(r -> r.metrics().sessionId()).containsExactly("s-1");
        clock.advanceMillis(5_000);
        TurnReport second = single(assembler.expire());
        assertThat(second.metrics().sessionId()).isEqualTo("s-2");
        assertThat(second.route().downlinkPartition()).isEqualTo(7);
    }

    @Test
    void interruptedTurnWithCancelledGenerationIsCancelledAndInterrupted() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        assembler.accept(stt("s-1", "t-1"), PARTITION);
        assembler.accept(eou("s-1", "t-1"), PARTITION);
        assembler.accept(llm("s-1", "t-1", "g-1", true), PARTITION);
        assembler.accept(gateway("s-1", "t-1", false, true), PARTITION);

        TurnReport report = single(assembler.accept(tts("s-1", "t-1", "g-1", true), PARTITION));

        assertThat(report.metrics().interrupted()).isTrue();
        assertThat(report.metrics().cancelled()).isTrue();
        assertThat(report.metrics().reason()).isNull();
        assertThat(report.metrics().e2e()).isEqualTo(905.0);
        assertThat(report.metrics().llmTtft()).isEqualTo(300.0);
    }

    @Test
    void onlyTtsCancelledStillMarksTheTurnCancelled() {
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", true), PARTITION);

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, true), PARTITION));

        assertThat(report.metrics().cancelled()).isTrue();
        assertThat(report.metrics().interrupted()).isTrue();
    }

    @Test
    void aGenerationCancelledBecauseTheUserWentOnIsReplacedByTheNextOne() {
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", true), PARTITION);
        assembler.accept(new VoiceEvent.TtsMetrics("s-1", "t-1", "g-1", 90.0, 10.0, 0.0, 5, true, 9.0), PARTITION);
        assembler.accept(new VoiceEvent.LlmMetrics("s-1", "t-1", "g-2", 310.0, 41.0, 950.0, 60, 33, 51.0, false),
                PARTITION);
        assertThat(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION))
                .as("g-2 has no tts metrics yet").isEmpty();

        TurnReport report = single(assembler.accept(tts("s-1", "t-1", "g-2", false), PARTITION));

        VoiceEvent.TurnMetrics m = report.metrics();
        assertThat(m.llmTtft()).isEqualTo(310.0);
        assertThat(m.promptTokens()).isEqualTo(60);
        assertThat(m.ttsTtfb()).as("the tts of g-2, not of g-1").isEqualTo(100.0);
        assertThat(m.transport()).as("first clause hop of g-2").isEqualTo(6.0);
        assertThat(m.cancelled()).isFalse();
        assertThat(m.reason()).isNull();
    }

    @Test
    void aPauseThatDoesNotEndTheTurnIsReportedFromTheLastUtterance() {
        assembler.accept(new VoiceEvent.VadMetrics("s-1", "t-1", 5.0, 10, 40, 1L, 9.0), PARTITION);
        assembler.accept(new VoiceEvent.SttMetrics("s-1", "t-1", 80.0, 600.0, 0.1, true, 9.0), PARTITION);
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION);

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION));

        assertThat(report.metrics().sttDuration()).isEqualTo(120.0);
        assertThat(report.metrics().transport()).isEqualTo(6.0);
    }

    @Test
    void aTurnEndedWithoutAudioOrReplyIsReportedAtOnceWithAReason() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        assembler.accept(stt("s-1", "t-1"), PARTITION);

        TurnReport report = single(assembler.accept(gatewayWithoutAudio("s-1", "t-1", false), PARTITION));

        assertThat(report.metrics().reason()).isEqualTo("no reply audio; no metrics from eou, llm");
        assertThat(report.metrics().e2e()).isNull();
        assertThat(report.metrics().transport()).isNull();
        assertThat(report.metrics().llmTtft()).isNull();
        assertThat(report.metrics().sttDuration()).isEqualTo(120.0);
    }

    @Test
    void aTurnWithoutAudioDoesNotWaitForTts() {
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", true), PARTITION);

        TurnReport report = single(assembler.accept(gatewayWithoutAudio("s-1", "t-1", true), PARTITION));

        assertThat(report.metrics().reason()).isEqualTo("no reply audio (interrupted)");
        assertThat(report.metrics().interrupted()).isTrue();
        assertThat(report.metrics().cancelled()).isTrue();
        assertThat(report.metrics().llmTtft()).isEqualTo(300.0);
        assertThat(report.metrics().ttsTtfb()).isNull();
    }

    @Test
    void aTurnWithAudioWaitsForTheTtsOfItsGeneration() {
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);

        assertThat(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION)).isEmpty();
        assertThat(assembler.openTurns()).isEqualTo(1);
    }

    @Test
    void metricEventsOfAnAlreadyReportedTurnAreIgnoredAndCounted() {
        feedVoiceStages("s-1", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION);
        single(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION));

        assertThat(assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION)).isEmpty();
        assertThat(assembler.accept(vad("s-1", "t-1"), PARTITION)).isEmpty();

        assertThat(assembler.lateEvents()).isEqualTo(2);
        assertThat(assembler.openTurns()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(assembler.expire()).as("no second report for the same turn").isEmpty();
    }

    @Test
    void anEventArrivingAfterItsTurnTimedOutIsLateToo() {
        assembler.accept(vad("s-1", "t-1"), PARTITION);
        clock.advanceMillis(10_000);
        single(assembler.expire());

        assertThat(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION)).isEmpty();

        assertThat(assembler.lateEvents()).isEqualTo(1);
        assertThat(assembler.openTurns()).isZero();
    }

    @Test
    void transportIsNullWhenAHopIsUnknownAndTheReasonSaysWhich() {
        assembler.accept(new VoiceEvent.VadMetrics("s-1", "t-1", 12.5, 40, 99, 1L, -1), PARTITION);
        assembler.accept(stt("s-1", "t-1"), PARTITION);
        assembler.accept(eou("s-1", "t-1"), PARTITION);
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION);

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION));

        assertThat(report.metrics().transport()).isNull();
        assertThat(report.metrics().e2e()).isEqualTo(905.0);
        assertThat(report.metrics().reason()).isEqualTo("transport unknown: no hop time from vad");
    }

    @Test
    void transportSumsTheFiveCriticalPathHops() {
        assembler.accept(new VoiceEvent.VadMetrics("s-1", "t-1", 1.0, 1, 1, 1L, 1.0), PARTITION);
        assembler.accept(new VoiceEvent.SttMetrics("s-1", "t-1", 1.0, 1.0, 1.0, true, 2.0), PARTITION);
        assembler.accept(new VoiceEvent.EouMetrics("s-1", "t-1", 1.0, 1.0, false, 4.0), PARTITION);
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(new VoiceEvent.TtsMetrics("s-1", "t-1", "g-1", 1.0, 1.0, 1.0, 1, false, 8.0), PARTITION);

        TurnReport report = single(assembler.accept(new VoiceEvent.GatewayTurnMetrics("s-1", "t-1", 50.0, 1L, 2L,
                false, false, 1, 1, 16.0, false), PARTITION));

        assertThat(report.metrics().transport()).isEqualTo(31.0);
    }

    @Test
    void beyondTheOpenTurnLimitTheOldestIsReportedAsDropped() {
        TurnReportAssembler small = new TurnReportAssembler(clock, Duration.ofSeconds(10), 2, 100);
        small.accept(vad("s-1", "t-1"), PARTITION);
        clock.advanceMillis(10);
        small.accept(vad("s-1", "t-2"), PARTITION);
        clock.advanceMillis(10);
        small.accept(stt("s-1", "t-1"), PARTITION); // an event for an open turn makes no room

        TurnReport dropped = single(small.accept(vad("s-2", "t-3"), 5));

        assertThat(dropped.metrics().turnId()).isEqualTo("t-1");
        assertThat(dropped.metrics().reason())
                .isEqualTo("dropped after 20 ms (more than 2 turns open): no metrics from eou, llm, tts, gateway");
        assertThat(dropped.metrics().sttDuration()).isEqualTo(120.0);
        assertThat(dropped.route().downlinkPartition()).isEqualTo(PARTITION);
        assertThat(small.openTurns()).isEqualTo(2);
        assertThat(small.droppedTurns()).isEqualTo(1);

        assertThat(small.accept(eou("s-1", "t-1"), PARTITION)).isEmpty();
        assertThat(small.lateEvents()).isEqualTo(1);
    }

    @Test
    void theDownlinkPartitionComesFromWhicheverRecordCarriesIt() {
        feedVoiceStages("s-1", "t-1", -1);
        assembler.accept(llm("s-1", "t-1", "g-1", false), -1);
        assembler.accept(tts("s-1", "t-1", "g-1", false), 9);

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, false), -1));

        assertThat(report.route().downlinkPartition()).isEqualTo(9);
    }

    @Test
    void aTurnNoRecordGaveAPartitionForHasNone() {
        assembler.accept(vad("s-1", "t-1"), -1);
        clock.advanceMillis(10_000);

        assertThat(single(assembler.expire()).route().downlinkPartition()).isEqualTo(-1);
    }

    @Test
    void turnsAreKeyedBySessionAndTurn() {
        feedVoiceStages("s-1", "t-1");
        feedVoiceStages("s-2", "t-1");
        assembler.accept(llm("s-1", "t-1", "g-1", false), PARTITION);
        assembler.accept(tts("s-1", "t-1", "g-1", false), PARTITION);

        TurnReport report = single(assembler.accept(gateway("s-1", "t-1", false, false), PARTITION));

        assertThat(report.metrics().sessionId()).isEqualTo("s-1");
        assertThat(assembler.openTurns()).isEqualTo(1);
    }

    @Test
    void eventsThatAreNotTurnMetricsAreIgnored() {
        assertThat(assembler.accept(new VoiceEvent.TranscriptFinal("s-1", "t-1", "hi", false), PARTITION)).isEmpty();
        assertThat(assembler.accept(new VoiceEvent.VadMetrics("s-1", null, 1.0, 1, 1, 1L, 1.0), PARTITION))
                .isEmpty();

        assertThat(assembler.openTurns()).isZero();
        assertThat(TurnReportAssembler.isTurnMetric(vad("s", "t"))).isTrue();
        assertThat(TurnReportAssembler.isTurnMetric(new VoiceEvent.SessionEnded("s", "x"))).isFalse();
    }

    @Test
    void rejectsNonsensicalLimits() {
        assertThatThrownBy(() -> new TurnReportAssembler(clock, Duration.ZERO, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TurnReportAssembler(clock, Duration.ofSeconds(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void feedVoiceStages(String session, String turn) {
        feedVoiceStages(session, turn, PARTITION);
    }

    private void feedVoiceStages(String session, String turn, int partition) {
        List<TurnReport> reports = new ArrayList<>();
        reports.addAll(assembler.accept(vad(session, turn), partition));
        reports.addAll(assembler.accept(stt(session, turn), partition));
        reports.addAll(assembler.accept(eou(session, turn), partition));
        assertThat(reports).isEmpty();
    }

    private static TurnReport single(List<TurnReport> reports) {
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }
}

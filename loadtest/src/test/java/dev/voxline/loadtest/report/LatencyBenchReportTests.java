package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyBenchReportTests {

    @Test
    void tableHasOneRowPerFigureWithNP50P95AndMean() {
        List<Utterance> utterances = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            utterances.add(said("p" + i + ".wav", "what time is it", "what time is it",
                    turn("turn_" + i, "what time is it", 500.0 + i, metrics(480.0 + i, 300.0, 0.05, 2.5))));
        }

        String table = LatencyBenchReport.table(utterances);

        assertThat(table.lines()).hasSize(1 + LatencyBenchReport.FIGURES.size());
        assertThat(table.lines().findFirst().orElseThrow()).containsPattern("n\\s+p50\\s+p95\\s+mean$");
        assertThat(table).containsPattern("(?m)^e2e\\s+20\\s+490\\.5\\s+499\\.1\\s+490\\.5$");
        assertThat(table).containsPattern("(?m)^eou_delay\\s+20\\s+300\\.0\\s+300\\.0\\s+300\\.0$");
        assertThat(table).containsPattern("(?m)^client e2e\\s+20\\s+510\\.5\\s+");
        assertThat(table).containsPattern("(?m)^stt_rtf \\(ratio\\)\\s+20\\s+0\\.050\\s+0\\.050\\s+0\\.050$");
        assertThat(table).containsPattern("(?m)^vad_inference_ms\\s+20\\s+2\\.5\\s+");
        // the rows in the brief's order
        assertThat(LatencyBenchReport.FIGURES).extracting(LatencyBenchReport.Figure::name).containsExactly(
                "eou_delay", "transcription_delay", "llm_ttft", "first_clause_delay", "tts_ttfb", "e2e",
                "transport", "client e2e", "stt_rtf", "vad_inference_ms");
    }

    @Test
    void turnsWithoutAFigureAreLeftOutOfItsRowOnly() {
        List<Utterance> utterances = List.of(
                said("a.wav", "hello there", "hello there", turn("turn_a", "hello there", 600.0,
                        metrics(580.0, 320.0, null, null))),
                said("b.wav", "good morning", "good morning", turn("turn_b", "good morning", 700.0, null)));

        List<LatencyBenchReport.Row> rows = LatencyBenchReport.rows(utterances);
        Map<String, List<Double>> samples = LatencyBenchReport.samplesByFigure(utterances);

        assertThat(row(rows, "e2e").summary().count()).isEqualTo(1);
        assertThat(row(rows, "client e2e").summary().count()).isEqualTo(2);
        assertThat(row(rows, "stt_rtf").summary().count()).isZero();
        assertThat(samples.get("client e2e")).containsExactly(600.0, 700.0);
        assertThat(samples.get("vad_inference_ms")).isEmpty();
        assertThat(LatencyBenchReport.table(utterances))
                .containsPattern("(?m)^vad_inference_ms\\s+0\\s+–\\s+–\\s+–$");
    }

    @Test
    void aPhraseSplitIntoTwoTurnsIsHeardAsOneTextAndCountsBothTurns() {
        Utterance split = said("a.wav", "Hi, how are you?", null,
                turn("turn_a", "hi", 600.0, metrics(590.0, 350.0, 0.1, 1.0)),
                turn("turn_b", "how are you", 650.0, metrics(640.0, 360.0, 0.1, 1.0)));

        assertThat(split.heard()).isEqualTo("hi how are you");
        assertThat(split.alignment().edits()).isZero();
        assertThat(LatencyBenchReport.rows(List.of(split)).get(0).summary().count()).isEqualTo(2);
    }

    @Test
    void werIsPooledOverTheUtterances() {
        List<Utterance> utterances = List.of(
                said("a.wav", "Who are you?", "who are you", ok("who are you")),
                said("b.wav", "Hello there.", "yellow there", ok("yellow there")),
                said("c.wav", "Thank you very much.", "thank you much", ok("thank you much")));

        WordErrorRate.Alignment words = LatencyBenchReport.words(utterances);

        assertThat(words.referenceWords()).isEqualTo(9);
        assertThat(words.edits()).isEqualTo(2);
        assertThat(words.rate()).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(LatencyBenchReport.werLine(utterances))
                .isEqualTo("WER 22.2 % (2 edits / 9 reference words: 1 sub, 1 del, 0 ins) over 3 utterances");
        assertThat(LatencyBenchReport.werLine(List.of())).startsWith("WER – (0 edits / 0 reference words");
    }

    @Test
    void tiersCompareTheMediansWithTheGuide() {
        assertThat(LatencyBenchReport.tier(420, 500, 800)).isEqualTo("420 ms: excellent (< 500 ms)");
        assertThat(LatencyBenchReport.tier(500, 500, 800))
                .isEqualTo("500 ms: good (< 800 ms), misses excellent (< 500 ms)");
        assertThat(LatencyBenchReport.tier(1250, 500, 800))
                .isEqualTo("1250 ms: misses good (< 800 ms) and excellent (< 500 ms)");
        assertThat(LatencyBenchReport.tier(Double.NaN, 500, 800)).isEqualTo("not measured");

    }

    @Test
    void withEveryStageRealAndALanguageModelEveryFigureIsGraded() {
        List<Utterance> utterances = List.of(said("a.wav", "hi", "hi",
                turn("turn_a", "hi", 700.0, engines(metrics(650.0, 400.0, 0.1, 1.0), "vosk", "openai", "marytts"))));
        EngineStack stack = EngineStack.of(LatencyBenchReport.turns(utterances), "silero");

        // metrics(): llm_ttft 5, tts_ttfb 180
        assertThat(LatencyBenchReport.grades(utterances, stack)).containsExactly(
                "e2e p50 650 ms: good (< 800 ms), misses excellent (< 500 ms)",
                "llm_ttft p50 5 ms: excellent (< 250 ms)",
                "tts_ttfb p50 180 ms: good (< 200 ms), misses excellent (< 150 ms)");
    }

    @Test
    void theBuiltInAssistantIsNotGradedAsAnLlmAndE2eSaysWhatItLeavesOne() {
        List<Utterance> utterances = List.of(said("a.wav", "hi", "hi",
                turn("turn_a", "hi", 520.0, engines(metrics(515.0, 420.0, 0.1, 1.0), "vosk", "builtin", "marytts"))));
        EngineStack stack = EngineStack.of(LatencyBenchReport.turns(utterances), "silero");

        List<String> grades = LatencyBenchReport.grades(utterances, stack);

        assertThat(grades).hasSize(4);
        assertThat(grades.get(0)).isEqualTo("e2e p50 515 ms: not graded against the guide's tiers (good < 800 ms, "
                + "excellent < 500 ms, which assume an LLM answered): the built-in assistant is not an LLM");
        // e2e 515 - llm_ttft 5 = 510: 290 ms left for good, nothing for excellent
        assertThat(grades.get(1)).isEqualTo("  the turn without the answer (e2e − llm_ttft) p50 510 ms: an LLM's "
                + "first token would have to come within 290 ms for good e2e (< 800 ms); over excellent (< 500 ms) "
                + "before any LLM");
        assertThat(grades.get(2)).startsWith("llm_ttft p50 5 ms: not graded: the built-in assistant is not an LLM");
        assertThat(grades.get(3)).isEqualTo("tts_ttfb p50 180 ms: good (< 200 ms), misses excellent (< 150 ms)");
        assertThat(String.join("\n", grades)).doesNotContain("excellent (< 250").doesNotContain(": good (< 400");
    }

    @Test
    void whatTheRestOfTheTurnLeavesAnLlmIsMeasuredPerTurn() {
        // e2e − llm_ttft (5 ms in metrics()): 395, then 405 → p50 400
        List<TurnResult> fast = List.of(turn("a", "hi", 0.0, metrics(400.0, 1.0, 0.1, 1.0)),
                turn("b", "hi", 0.0, metrics(410.0, 1.0, 0.1, 1.0)));
        List<TurnResult> slow = List.of(turn("c", "hi", 0.0, metrics(905.0, 1.0, 0.1, 1.0)));

        assertThat(LatencyBenchReport.llmBudget(fast)).isEqualTo("the turn without the answer (e2e − llm_ttft) "
                + "p50 400 ms: an LLM's first token would have to come within 400 ms for good e2e (< 800 ms), within "
                + "100 ms for excellent (< 500 ms)");
        assertThat(LatencyBenchReport.llmBudget(slow)).isEqualTo("the turn without the answer (e2e − llm_ttft) "
                + "p50 900 ms: over good e2e (< 800 ms) and excellent (< 500 ms) before any LLM");
        assertThat(LatencyBenchReport.llmBudget(List.of(turn("d", "hi", 0.0, null))))
                .endsWith("not measured");
    }

    @Test
    void simulatedStagesAreNeverGraded() {
        List<Utterance> utterances = List.of(said("a.wav", "hi", "hi", turn("turn_a", "hi", 700.0,
                engines(metrics(650.0, 400.0, 0.1, 1.0), "simulated", "simulated", "simulated"))));
        EngineStack stack = EngineStack.of(LatencyBenchReport.turns(utterances), "simulated");

        List<String> grades = LatencyBenchReport.grades(utterances, stack);

        assertThat(grades).containsExactly(
                "e2e p50 650 ms: not graded against the guide's tiers (good < 800 ms, excellent < 500 ms, which "
                        + "assume an LLM answered): not every stage ran a real engine (simulated VAD + simulated STT "
                        + "+ simulated LLM (not an LLM) + simulated TTS)",
                "llm_ttft p50 5 ms: not graded: simulated LLM (not an LLM), its first token is a configured delay",
                "tts_ttfb p50 180 ms: not graded: simulated TTS, its first audio is a configured delay");
    }

    @Test
    void anUnnamedVadLeavesE2eUngraded() {
        List<Utterance> utterances = List.of(said("a.wav", "hi", "hi", turn("turn_a", "hi", 700.0,
                engines(metrics(650.0, 400.0, 0.1, 1.0), "vosk", "openai", "marytts"))));
        EngineStack stack = EngineStack.of(LatencyBenchReport.turns(utterances), null);

        assertThat(LatencyBenchReport.grades(utterances, stack).get(0)).endsWith("the VAD engine is not known "
                + "(turn.metrics does not name it and the sessions did not ask for one)");
    }

    @Test
    void utterancesAreSplitBySpokenSetInTheOrderSaid() {
        Utterance synthetic = said("a.wav", "hi", "hi", ok("hi"));
        Utterance human = new Utterance("human", 1, 1, "cards-001.wav", "ten of clubs", result(ok("ten of clubs")));
        List<Utterance> utterances = List.of(synthetic, human);

        assertThat(LatencyBenchReport.sets(utterances)).containsExactly("synthetic", "human");
        assertThat(LatencyBenchReport.ofSet(utterances, "human")).containsExactly(human);
        assertThat(LatencyBenchReport.werLine(LatencyBenchReport.ofSet(utterances, "human")))
                .endsWith("over 1 utterances");
    }

    @Test
    void perPhraseRowsGroupEveryCallerAndRound() {
        List<Utterance> utterances = List.of(
                new Utterance("synthetic", 1, 1, "a.wav", "good morning", result(turn("t1", "good morning", 600.0,
                        metrics(500.0, 300.0, 0.1, 1.0)))),
                new Utterance("synthetic", 1, 1, "b.wav", "who are you", result(turn("t2", "who are you", 600.0,
                        metrics(700.0, 300.0, 0.1, 1.0)))),
                new Utterance("synthetic", 2, 1, "a.wav", "good morning", result(turn("t3", "good mourning", 600.0,
                        metrics(520.0, 300.0, 0.1, 1.0)))),
                new Utterance("synthetic", 2, 1, "b.wav", "who are you", new TalkResult("s", List.of(), List.of(),
                        "no speech heard: the gateway found no speech in the audio")));

        List<LatencyBenchReport.PhraseRow> rows = LatencyBenchReport.phraseRows(utterances);

        assertThat(rows).extracting(LatencyBenchReport.PhraseRow::phrase).containsExactly("a.wav", "b.wav");
        LatencyBenchReport.PhraseRow a = rows.get(0);
        assertThat(a.utterances()).isEqualTo(2);
        assertThat(a.words().rate()).isCloseTo(0.25, within(1e-12));
        assertThat(a.e2e().p50()).isCloseTo(510.0, within(1e-9));
        assertThat(a.lastHeard()).isEqualTo("good mourning");
        assertThat(a.failed()).isZero();
        LatencyBenchReport.PhraseRow b = rows.get(1);
        assertThat(b.failed()).isEqualTo(1);
        assertThat(b.words().rate()).isCloseTo(0.5, within(1e-12)); // 3 deleted of 6
        String table = LatencyBenchReport.phraseTable(utterances);
        assertThat(table).containsPattern("(?m)^a\\.wav\\s+2\\s+25\\.0%\\s+510\\s+180\\s+0\\s+\"good mourning\"$");
        assertThat(table).containsPattern("(?m)^b\\.wav\\s+2\\s+50\\.0%\\s+700\\s+180\\s+1\\s+\"who are you\"$");
    }

    @Test
    void anUtteranceFailsWithoutTurnsOnErrorsOrWithoutMetrics() {
        assertThat(said("a.wav", "hi", "hi", ok("hi")).failed()).isFalse();
        assertThat(said("a.wav", "hi", "hi", turn("turn_a", "hi", 500.0, null)).problems())
                .containsExactly("turn_a has no turn.metrics");
        assertThat(new Utterance("synthetic", 1, 1, "a.wav", "hi", new TalkResult("s", List.of(), List.of(), null))
                .problems())
                .containsExactly("no turn");
        TurnResult errored = new TurnResult("turn_a", false, "hi", "", null, metrics(1.0, 1.0, 0.1, 1.0),
                new byte[0], 0, false, false, List.of(new VoiceEvent.Error("s", "turn_a", ErrorCodes.STAGE_FAILED,
                "tts failed")), true);
        assertThat(new Utterance("synthetic", 1, 1, "a.wav", "hi", result(errored)).problems())
                .containsExactly("server error " + ErrorCodes.STAGE_FAILED + ": tts failed");
        TurnResult unfinished = new TurnResult("turn_a", false, "hi", "", null, metrics(1.0, 1.0, 0.1, 1.0),
                new byte[0], 0, false, false, List.of(), false);
        assertThat(new Utterance("synthetic", 1, 1, "a.wav", "hi", new TalkResult("s", List.of(unfinished), List.of(),
                "timed out")).problems()).containsExactly("timed out", "turn_a did not finish");
    }

    // ---- fixtures

    private static LatencyBenchReport.Row row(List<LatencyBenchReport.Row> rows, String name) {
        return rows.stream().filter(r -> r.figure().name().equals(name)).findFirst().orElseThrow();
    }

    private static Utterance said(String phrase, String reference, String heardCheck, TurnResult... turns) {
        Utterance u = new Utterance("synthetic", 1, 1, phrase, reference, result(turns));
        if (heardCheck != null) {
            assertThat(u.heard()).isEqualTo(heardCheck);
        }
        return u;
    }

    private static TalkResult result(TurnResult... turns) {
        return new TalkResult("sess_1", List.of(turns), List.of(), null);
    }

    private static TurnResult ok(String transcript) {
        return turn("turn_x", transcript, 600.0, metrics(550.0, 300.0, 0.1, 1.0));
    }

    static TurnResult turn(String turnId, String transcript, Double clientE2e, VoiceEvent.TurnMetrics metrics) {
        return new TurnResult(turnId, false, transcript, "reply", clientE2e, metrics, new byte[0], 16_000, true,
                false, List.of(), true);
    }

    /** The metrics with these engines named, as stt-, llm- and tts-service report them. */
    static VoiceEvent.TurnMetrics engines(VoiceEvent.TurnMetrics m, String stt, String llm, String tts) {
        return new VoiceEvent.TurnMetrics(m.v(), m.ts(), m.sessionId(), m.turnId(), m.eouDelay(),
                m.transcriptionDelay(), m.sttDuration(), m.sttAudioDuration(), m.sttRtf(), m.llmTtft(),
                m.firstClauseDelay(), m.llmDuration(), m.promptTokens(), m.completionTokens(), m.tokensPerSecond(),
                m.ttsTtfb(), m.ttsDuration(), m.ttsAudioDuration(), m.ttsCharacters(), m.transport(), m.e2e(),
                m.interrupted(), m.cancelled(), m.traceId(), m.reason(), m.vadInferenceMs(), m.vadInferenceCount(),
                stt, llm, null, null, tts, null, null, null);
    }

    /** e2e and eou as given; transcription 120, ttft 5, clause 30, tts_ttfb 180, transport 6. */
    static VoiceEvent.TurnMetrics metrics(Double e2e, Double eou, Double sttRtf, Double vadMs) {
        return new VoiceEvent.TurnMetrics(1, 0, "sess_1", "turn_a", eou, 120.0, 100.0, 1500.0, sttRtf, 5.0, 30.0,
                600.0, null, null, null, 180.0, 300.0, 1800.0, 28, 6.0, e2e, false, false, null, null, vadMs,
                vadMs != null ? 40 : null);
    }
}

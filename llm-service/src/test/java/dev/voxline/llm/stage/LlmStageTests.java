package dev.voxline.llm.stage;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import static org.assertj.core.api.Assertions.assertThat;


class LlmStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_c", 2, null);
    private static final String REPLY = "Sure, I can help with that today. It is sunny.";

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private LlmStage stage;

    @BeforeEach
    void start() {
        LlmProperties properties = new LlmProperties("simulated", 200, 50, "be brief", 20, 20);
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service", EngineRegistry.of("LLM",
                new SimulatedLlmEngine(properties.ttftMs(), properties.tokensPerSecond(), clock)), properties,
                () -> clock.now(TimeUnit.MICROSECONDS), clock);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void finalTranscriptStreamsDeltasClausesAndDone() {
        configure(REPLY, null);
        transcript("turn_1", "what's the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));

        List<VoiceEvent> downlink = transport.events(Topics.DOWNLINK);
        List<VoiceEvent> replies = transport.events(Topics.REPLIES);
        assertThat(transport.types(Topics.DOWNLINK)).containsOnly("reply.delta", "reply.done").endsWith("reply.done");
        assertThat(downlink.stream().filter(e -> e instanceof VoiceEvent.ReplyDelta)
                .map(e -> ((VoiceEvent.ReplyDelta) e).text()).reduce("", String::concat)).isEqualTo(REPLY);
        assertThat(transport.types(Topics.REPLIES))
                .containsExactly("reply.clause", "reply.clause", "reply.done");
        VoiceEvent.ReplyClause first = (VoiceEvent.ReplyClause) replies.get(0);
        VoiceEvent.ReplyClause second = (VoiceEvent.ReplyClause) replies.get(1);
        VoiceEvent.ReplyDone done = (VoiceEvent.ReplyDone) replies.get(2);
        assertThat(first.index()).isZero();
        assertThat(first.text()).isEqualTo("Sure, I can help with that today.");
        assertThat(second.index()).isEqualTo(1);
        assertThat(second.text()).isEqualTo("It is sunny.");
        assertThat(done.cancelled()).isFalse();
        assertThat(done.clauses()).isEqualTo(2);
        assertThat(done.text()).isEqualTo(REPLY);
        assertThat(done.turnId()).isEqualTo("turn_1");
        assertThat(first.generationId()).isEqualTo(done.generationId()).startsWith("gen_");
        assertThat(downlink.get(downlink.size() - 1)).isEqualTo(done);
        assertThat(transport.sent).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
    }

    @Test
    void firstDeltaComesAfterTheTtft() {
        configure(REPLY, null);
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMillis(199));
        assertThat(transport.downlink()).isEmpty();
        assertThat(transport.on(Topics.REPLIES)).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("reply.delta");
    }

    @Test
    void typedInputIsAnsweredTheSameWay() {
        configure(null, null); // input waits for its session.started (SessionStage)
        transcript("turn_t", "Hello.", true);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        VoiceEvent.ReplyDone done = (VoiceEvent.ReplyDone) transport.events(Topics.REPLIES).get(
                transport.events(Topics.REPLIES).size() - 1);
        assertThat(done.text()).isEqualTo("You said: Hello. This is Voxline's simulated reply engine.");
        assertThat(done.turnId()).isEqualTo("turn_t");
    }

    @Test
    void interruptCancelsTheGeneration() {
        configure(REPLY, null);
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMillis(240)); // three tokens
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1",
                "client", "interrupt"));
        clock.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(transport.types(Topics.DOWNLINK))
                .containsExactly("reply.delta", "reply.delta", "reply.delta", "reply.done");
        VoiceEvent.ReplyDone done = (VoiceEvent.ReplyDone) transport.events(Topics.REPLIES).get(
                transport.events(Topics.REPLIES).size() - 1);
        assertThat(done.cancelled()).isTrue();
        assertThat(done.text()).isEqualTo("Sure, I can");
        assertThat(transport.events(Topics.DOWNLINK).get(3)).isEqualTo(done);
    }

    @Test
    void interruptOfAnotherTurnIsIgnored() {
        configure("One two.", null);
        transcript("turn_1", "hi", false);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_0",
                "client", "interrupt"));
        clock.advanceTimeBy(Duration.ofSeconds(1));
        VoiceEvent.ReplyDone done = (VoiceEvent.ReplyDone) transport.events(Topics.REPLIES).get(1);
        assertThat(done.cancelled()).isFalse();
    }

    @Test
    void aNewFinalCancelsTheRunningGeneration() {
        configure(REPLY, null);
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMillis(220));
        transcript("turn_2", "again", false);
        clock.advanceTimeBy(Duration.ofSeconds(5));

        List<VoiceEvent.ReplyDone> dones = transport.events(Topics.REPLIES).stream()
                .filter(e -> e instanceof VoiceEvent.ReplyDone).map(e -> (VoiceEvent.ReplyDone) e).toList();
        assertThat(dones).hasSize(2);
        assertThat(dones.get(0).turnId()).isEqualTo("turn_1");
        assertThat(dones.get(0).cancelled()).isTrue();
        assertThat(dones.get(1).turnId()).isEqualTo("turn_2");
        assertThat(dones.get(1).cancelled()).isFalse();
        assertThat(dones.get(1).text()).isEqualTo(REPLY);
        assertThat(dones.get(0).generationId()).isNotEqualTo(dones.get(1).generationId());
    }

    @Test
    void engineFailureFailsTheTurnAndClosesIt() {
        configure(null, "llm.fail");
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMillis(200));

        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("error", "reply.done");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.turnId()).isEqualTo("turn_1");
        assertThat(error.message()).startsWith("llm failed:");
        assertThat(((VoiceEvent.ReplyDone) transport.events(Topics.REPLIES).get(0)).cancelled()).isTrue();

        configure("Fine.", null);
        transcript("turn_2", "hi", false);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(transport.types(Topics.REPLIES)).containsExactly("reply.done", "reply.clause", "reply.done");
    }

    @Test
    void emptyFinalsAreIgnored() {
        configure(null, null); // input waits for its session.started (SessionStage)
        transcript("turn_1", "  ", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(transport.sent).isEmpty();
    }

    @Test
    void conversationHistoryCarriesOver() {
        configure("First answer.", null);
        transcript("turn_1", "first", false);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        configure(null, null);
        transcript("turn_2", "second", false);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        VoiceEvent.ReplyDone done = (VoiceEvent.ReplyDone) transport.events(Topics.REPLIES).get(
                transport.events(Topics.REPLIES).size() - 1);
        assertThat(done.text()).startsWith("You said: second.");
    }

    @Test
    void sessionEndCancelsSilently() {
        configure(REPLY, null);
        transcript("turn_1", "hi", false);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(transport.downlink()).isEmpty();
        assertThat(transport.on(Topics.REPLIES)).isEmpty();
        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.eou");
        assertThat(stage.activeSessions()).isZero();
    }

    @Test
    void acceptingAFinalCommitsTheTurnWithEouMetrics() {
        configure(REPLY, null);
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        long speechEndUs = clock.now(TimeUnit.MICROSECONDS) - 410_000; // the caller stopped 410 ms ago
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(),
                "turn_1", "what's the weather", false, speechEndUs));

        assertThat(transport.events(Topics.CONTROL)).singleElement().isInstanceOfSatisfying(
                VoiceEvent.TurnCommitted.class, committed -> {
                    assertThat(committed.turnId()).isEqualTo("turn_1");
                    assertThat(committed.generationId()).startsWith("gen_");
                });
        assertThat(transport.on(Topics.CONTROL)).allSatisfy(sent -> assertThat(sent.route()).isEqualTo(ROUTE));
        VoiceEvent.EouMetrics eou = (VoiceEvent.EouMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(eou.turnId()).isEqualTo("turn_1");
        assertThat(eou.endOfUtteranceDelayMs()).isEqualTo(410.0);
        assertThat(eou.transcriptionDelayMs()).isEqualTo(410.0);
        assertThat(eou.typed()).isFalse();
        assertThat(eou.hopMs()).isEqualTo(-1); // the fake sets no send time
    }

    @Test
    void typedInputHasZeroEndOfUtteranceDelay() {
        configure(null, null); // input waits for its session.started (SessionStage)
        clock.advanceTimeBy(Duration.ofMillis(500));
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(),
                "turn_t", "hello", true, 1));
        VoiceEvent.EouMetrics eou = (VoiceEvent.EouMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(eou.typed()).isTrue();
        assertThat(eou.endOfUtteranceDelayMs()).isZero();
        assertThat(eou.transcriptionDelayMs()).isZero();
    }

    @Test
    void llmMetricsHaveExactTtftAndFirstClauseDelay() {
        configure(REPLY, null);
        transcript("turn_1", "what's the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));

        VoiceEvent.LlmMetrics llm = llmMetrics().get(0);
        assertThat(llm.turnId()).isEqualTo("turn_1");
        assertThat(llm.generationId()).isEqualTo(transport.events(Topics.REPLIES).get(0).turnId() != null
                ? ((VoiceEvent.ReplyClause) transport.events(Topics.REPLIES).get(0)).generationId() : null);
        // 10 word tokens: the first at 200 ms, then one per 20 ms; "… today." is released when " It" (token 7)
        // shows the sentence ended, 140 ms after the first token.
        assertThat(llm.ttftMs()).isEqualTo(200.0);
        assertThat(llm.firstClauseDelayMs()).isEqualTo(140.0);
        assertThat(llm.engine()).isEqualTo("simulated");
        assertThat(llm.model()).isNull();
        assertThat(llm.durationMs()).isEqualTo(380.0);
        assertThat(llm.completionTokens()).isEqualTo(10);
        assertThat(llm.promptTokens()).isEqualTo(2 + 3); // "be brief" + "what's the weather"
        assertThat(llm.tokensPerSecond()).isCloseTo(10 / 0.18, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(llm.cancelled()).isFalse();
        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.eou", "metrics.llm");
    }

    @Test
    void anInterruptedGenerationReportsCancelledMetrics() {
        configure(REPLY, null);
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMillis(240)); // three tokens
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1",
                "client", "interrupt"));
        clock.advanceTimeBy(Duration.ofSeconds(5));

        VoiceEvent.LlmMetrics llm = llmMetrics().get(0);
        assertThat(llmMetrics()).hasSize(1);
        assertThat(llm.cancelled()).isTrue();
        assertThat(llm.ttftMs()).isEqualTo(200.0);
        assertThat(llm.firstClauseDelayMs()).isEqualTo(-1);
        assertThat(llm.durationMs()).isEqualTo(240.0);
        assertThat(llm.completionTokens()).isEqualTo(3);
    }

    @Test
    void aClauseThatGoesOnWaitsAndTheTurnIsAnsweredOnceForEverythingSaid() {
        configure(null, null);
        transcript("turn_1", "what is", false); // unfinished: the end of turn waits up to the maximum
        clock.advanceTimeBy(Duration.ofMillis(250));
        assertThat(transport.types(Topics.CONTROL)).isEmpty();
        assertThat(transport.downlink()).as("a preemptive reply is held until the turn is committed").isEmpty();
        transcript("turn_1", "the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(10));

        List<VoiceEvent.ReplyDone> dones = replyDones();
        assertThat(dones).singleElement().satisfies(done -> {
            assertThat(done.cancelled()).isFalse();
            assertThat(done.text()).isEqualTo("You said: what is the weather. This is Voxline's simulated "
                    + "reply engine.");
        });
        assertThat(transport.events(Topics.CONTROL)).extracting(e -> ((VoiceEvent.TurnCommitted) e).generationId())
                .containsExactly(dones.get(0).generationId());
        assertThat(llmMetrics()).extracting(VoiceEvent.LlmMetrics::cancelled).containsExactly(false);
        // the dropped preemptive attempt is not part of the conversation: system, combined user text
        assertThat(llmMetrics().get(0).promptTokens()).isEqualTo(2 + 4);
    }

    @Test
    void silentFaultNeverAnswersButCanBeCancelled() {
        configure(REPLY, "llm.silent");
        transcript("turn_1", "hi", false);
        clock.advanceTimeBy(Duration.ofMinutes(10));
        assertThat(transport.downlink()).isEmpty();
        assertThat(transport.on(Topics.REPLIES)).isEmpty();
        assertThat(transport.types(Topics.CONTROL)).containsExactly("turn.committed");
        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.eou");

        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1",
                "client", "interrupt"));
        assertThat(transport.types(Topics.REPLIES)).containsExactly("reply.done");
        VoiceEvent.LlmMetrics llm = llmMetrics().get(0);
        assertThat(llm.cancelled()).isTrue();
        assertThat(llm.ttftMs()).isEqualTo(-1);
        assertThat(llm.completionTokens()).isZero();
    }

    private List<VoiceEvent.LlmMetrics> llmMetrics() {
        return transport.events(Topics.METRICS).stream().filter(VoiceEvent.LlmMetrics.class::isInstance)
                .map(VoiceEvent.LlmMetrics.class::cast).toList();
    }

    @Test
    void aSecondFinalOfTheSameTurnSupersedesTheRunningGeneration() {
        configure(null, null);
        transcript("turn_1", "can you open the window", false); // a question: committed at once
        clock.advanceTimeBy(Duration.ofMillis(220)); // the first answer is streaming
        transcript("turn_1", "please", false); // the caller went on after a pause
        clock.advanceTimeBy(Duration.ofSeconds(5));

        List<VoiceEvent.ReplyDone> dones = replyDones();
        assertThat(dones).hasSize(2);
        assertThat(dones.get(0).cancelled()).isTrue();
        assertThat(dones.get(0).supersededBy()).isEqualTo(dones.get(1).generationId());
        assertThat(dones.get(1).turnId()).isEqualTo("turn_1");
        assertThat(dones.get(1).cancelled()).isFalse();
        assertThat(dones.get(1).supersededBy()).isNull();
        assertThat(dones.get(1).text()).startsWith("You said: can you open the window please.");
        assertThat(transport.events(Topics.DOWNLINK)).contains(dones.get(0));
    }

    @Test
    void aSecondFinalAfterTheFirstAnswerFinishedAnswersTheTurnAgainForEverythingSaid() {
        configure(null, null);
        transcript("turn_1", "open the window", false);
        clock.advanceTimeBy(Duration.ofSeconds(5)); // the first answer is complete
        transcript("turn_1", "please", false);
        clock.advanceTimeBy(Duration.ofSeconds(5));

        List<VoiceEvent.ReplyDone> dones = replyDones();
        assertThat(dones).hasSize(2);
        assertThat(dones.get(0).cancelled()).isFalse();
        assertThat(dones.get(1).turnId()).isEqualTo("turn_1");
        assertThat(dones.get(1).generationId()).isNotEqualTo(dones.get(0).generationId());
        assertThat(dones.get(1).text()).startsWith("You said: open the window please.");
    }

    @Test
    void wordsOverThePausedAgentStopItAndTheContextKeepsOnlyWhatWasHeard() {
        configure(REPLY, null);
        transcript("turn_1", "what's the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        String generation = replyDones().get(0).generationId();
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), "turn_1", generation));
        control(new VoiceEvent.InterruptPending(ROUTE.sessionId(), "turn_2", 500, 1));
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptInterim(ROUTE.sessionId(),
                "turn_2", "wait what"));

        VoiceEvent.Interrupt stop = transport.events(Topics.DOWNLINK).stream()
                .filter(VoiceEvent.Interrupt.class::isInstance).map(VoiceEvent.Interrupt.class::cast)
                .findFirst().orElseThrow();
        assertThat(stop.interruptingTurnId()).isEqualTo("turn_2");
        assertThat(stop.source()).isEqualTo("llm");
        assertThat(transport.events(Topics.CONTROL)).contains(stop);

        control(new VoiceEvent.PlaybackStopped(ROUTE.sessionId(), "turn_1", generation, 3000, 700, true,
                "Sure, I can"));
        transcript("turn_2", "what about tomorrow", false);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        // system (2) + "what's the weather" (3) + what was heard (3) + "what about tomorrow" (3); the whole reply
        // would have been 10 words
        assertThat(llmMetrics().get(1).promptTokens()).isEqualTo(2 + 3 + 3 + 3);
        assertThat(replyDones().get(1).turnId()).isEqualTo("turn_2");
    }

    @Test
    void aPauseWithoutWordsResumesTheAgentAfterTheFalseInterruptionTimeout() {
        configure(REPLY, null);
        transcript("turn_1", "what's the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), "turn_1", replyDones().get(0).generationId()));
        control(new VoiceEvent.InterruptPending(ROUTE.sessionId(), "turn_2", 500, 1));
        clock.advanceTimeBy(Duration.ofMillis(1_999));
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("interrupt.resumed");
        clock.advanceTimeBy(Duration.ofMillis(1));
        VoiceEvent.InterruptResumed resumed = (VoiceEvent.InterruptResumed) transport.events(Topics.DOWNLINK)
                .stream().filter(VoiceEvent.InterruptResumed.class::isInstance).findFirst().orElseThrow();
        assertThat(resumed.turnId()).isEqualTo("turn_2");
        assertThat(resumed.reason()).isEqualTo(VoiceEvent.InterruptResumed.NO_WORDS);
        assertThat(transport.types(Topics.METRICS)).contains("metrics.interruption");
    }

    @Test
    void aBackchannelOverTheAgentResumesItAndGetsNoAnswer() {
        configure(REPLY, null);
        transcript("turn_1", "what's the weather", false);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), "turn_1", replyDones().get(0).generationId()));
        control(new VoiceEvent.InterruptPending(ROUTE.sessionId(), "turn_2", 500, 1));
        transcript("turn_2", "mm-hm yeah", false);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(transport.types(Topics.DOWNLINK)).contains("interrupt.resumed").doesNotContain("interrupt");
        assertThat(replyDones()).hasSize(1);
        assertThat(transport.events(Topics.CONTROL)).filteredOn(VoiceEvent.TurnCommitted.class::isInstance)
                .extracting(VoiceEvent::turnId).containsExactly("turn_1", "turn_2");
    }

    @Test
    void speakingAgainAfterHearingTheAnswerTeachesNoPause() {
        configure(null, null);
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_1", 1_000, 50, 0));
        transcript("turn_1", "what time is it", false); // complete: committed at once
        clock.advanceTimeBy(Duration.ofSeconds(1));
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), "turn_1", null));
        control(new VoiceEvent.PlaybackStopped(ROUTE.sessionId(), "turn_1", null, 600, 600, false, "It's noon."));
        // 2 s after the first turn, after hearing its answer: a reaction, not a pause of the same thought
        speech(new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_2", 3_000, 150));
        speech(new VoiceEvent.SpeechEnded(ROUTE.sessionId(), "turn_2", 4_000, 200, 0));
        int committed = transport.events(Topics.CONTROL).size();
        transcript("turn_2", "the lights in the kitchen", false); // undecided: waits 700 ms before any pause
        clock.advanceTimeBy(Duration.ofMillis(750));
        assertThat(transport.events(Topics.CONTROL).subList(committed, transport.events(Topics.CONTROL).size()))
                .as("committed after the undecided default wait, not 1.25 x a learnt 2 s")
                .filteredOn(VoiceEvent.TurnCommitted.class::isInstance).extracting(VoiceEvent::turnId)
                .containsExactly("turn_2");
    }

    private void speech(VoiceEvent event) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, event);
    }

    // ---- the idle prompt

    @Test
    void aSilentCallerIsAskedWhetherTheyAreStillThereAfterTheTimeoutAndNotBefore() {
        configureIdle(5_000, null);
        clock.advanceTimeBy(Duration.ofMillis(4_999));
        assertThat(transport.downlink()).isEmpty();
        assertThat(transport.on(Topics.REPLIES)).isEmpty();

        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("agent.turn", "reply.delta", "reply.done");
        VoiceEvent.AgentTurn agentTurn = (VoiceEvent.AgentTurn) transport.events(Topics.DOWNLINK).get(0);
        assertThat(agentTurn.reason()).isEqualTo(VoiceEvent.AgentTurn.USER_IDLE);
        assertThat(agentTurn.prompt()).isEqualTo(1);
        assertThat(agentTurn.turnId()).startsWith("turn_");
        assertThat(agentTurn.decidedUs()).isEqualTo(clock.now(TimeUnit.MICROSECONDS));
        assertThat(transport.types(Topics.REPLIES)).containsExactly("reply.clause", "reply.done");
        VoiceEvent.ReplyClause clause = (VoiceEvent.ReplyClause) transport.events(Topics.REPLIES).get(0);
        assertThat(clause.text()).isEqualTo("Are you still there?");
        assertThat(clause.turnId()).isEqualTo(agentTurn.turnId());
        VoiceEvent.ReplyDone done = replyDones().get(0);
        assertThat(done.turnId()).isEqualTo(agentTurn.turnId());
        assertThat(done.text()).isEqualTo("Are you still there?");
        assertThat(done.cancelled()).isFalse();
        // a turn report like a typed turn's: no end-of-utterance wait, the LLM's and TTS's share measured
        assertThat(transport.types(Topics.METRICS)).containsExactly("metrics.eou", "metrics.llm");
        VoiceEvent.EouMetrics eou = (VoiceEvent.EouMetrics) transport.events(Topics.METRICS).get(0);
        assertThat(eou.turnId()).isEqualTo(agentTurn.turnId());
        assertThat(eou.typed()).isTrue();
        assertThat(eou.endOfUtteranceDelayMs()).isZero();
        assertThat(transport.events(Topics.CONTROL)).as("no caller turn to commit")
                .noneMatch(VoiceEvent.TurnCommitted.class::isInstance);
    }

    @Test
    void thePromptIsInTheConversationAsTheAgentsWords() {
        configureIdle(1_000, "{context}");
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        String promptTurn = replyDones().get(0).turnId();
        played(promptTurn, replyDones().get(0).generationId());
        transcript("turn_1", "yes I am", true);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(replyDones()).hasSize(2);
        assertThat(replyDones().get(1).text()).isEqualTo("Context: assistant: Are you still there? | user: yes I am");
    }

    @Test
    void theCallerSpeakingCancelsTheWait() {
        configureIdle(5_000, null);
        clock.advanceTimeBy(Duration.ofMillis(4_000));
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1",
                4_000, 200));
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("agent.turn");
        assertThat(transport.on(Topics.REPLIES)).isEmpty();
    }

    @Test
    void typingCancelsTheWaitAndTheAnswersEndStartsItAgain() {
        configureIdle(5_000, "Fine.");
        clock.advanceTimeBy(Duration.ofMillis(4_000));
        transcript("turn_1", "hello", true);
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(transport.types(Topics.DOWNLINK)).as("no prompt while the answer has not played")
                .doesNotContain("agent.turn");

        played("turn_1", replyDones().get(0).generationId());
        clock.advanceTimeBy(Duration.ofMillis(4_999));
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("agent.turn");
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsOnlyOnce("agent.turn");
    }

    @Test
    void noWaitWhileTheAgentSpeaksNorAfterItWasInterrupted() {
        configureIdle(2_000, "Fine.");
        transcript("turn_1", "hello", true);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        String generation = replyDones().get(0).generationId();
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), "turn_1", generation));
        clock.advanceTimeBy(Duration.ofSeconds(10)); // a long reply playing
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("agent.turn");

        control(new VoiceEvent.PlaybackStopped(ROUTE.sessionId(), "turn_1", generation, 10_000, 4_000, true,
                "Fine."));
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(transport.types(Topics.DOWNLINK)).as("an interruption is the caller's turn, not silence")
                .doesNotContain("agent.turn");
    }

    @Test
    void atMostMaxIdlePromptsInARowUntilTheCallerSpeaksAgain() {
        configureIdle(1_000, "Fine.");
        for (int prompt = 1; prompt <= 2; prompt++) {
            clock.advanceTimeBy(Duration.ofMillis(1_000));
            List<VoiceEvent.AgentTurn> prompts = agentTurns();
            assertThat(prompts).hasSize(prompt);
            VoiceEvent.AgentTurn latest = prompts.get(prompt - 1);
            assertThat(latest.prompt()).isEqualTo(prompt);
            played(latest.turnId(), replyDones().get(replyDones().size() - 1).generationId());
        }
        assertThat(agentTurns()).extracting(VoiceEvent::turnId).doesNotHaveDuplicates();
        clock.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(agentTurns()).as("the default maximum is 2").hasSize(2);

        transcript("turn_1", "sorry, I'm back", true);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        played("turn_1", replyDones().get(replyDones().size() - 1).generationId());
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        assertThat(agentTurns()).hasSize(3);
        assertThat(agentTurns().get(2).prompt()).as("counted afresh").isEqualTo(1);
    }

    @Test
    void callerSpeechDropsAPromptThatHasNotPlayedYet() {
        configureIdle(1_000, "{context}");
        clock.advanceTimeBy(Duration.ofMillis(1_000));
        String promptTurn = agentTurns().get(0).turnId();
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.SpeechStarted(ROUTE.sessionId(), "turn_1",
                1_000, 50));
        VoiceEvent.Interrupt stop = (VoiceEvent.Interrupt) transport.events(Topics.DOWNLINK).stream()
                .filter(VoiceEvent.Interrupt.class::isInstance).findFirst().orElseThrow();
        assertThat(stop.turnId()).isEqualTo(promptTurn);
        assertThat(stop.interruptingTurnId()).isEqualTo("turn_1");
        assertThat(transport.events(Topics.CONTROL)).contains(stop);

        transcript("turn_1", "hello", true);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(replyDones().get(1).text()).as("a prompt the caller never heard is not remembered")
                .isEqualTo("Context: user: hello");
    }

    @Test
    void theServiceSetsTheDefaultTimeoutAndPromptsAndASessionTurnsThemOff() {
        stage.stop();
        LlmProperties base = new LlmProperties("simulated", 200, 50, "be brief", 20, 20);
        LlmProperties properties = base.withTurnTaking(base.turnTaking().withIdlePrompts(3_000,
                List.of("Hello?", "Still with me?"), 3));
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service",
                EngineRegistry.of("LLM", new SimulatedLlmEngine(200, 50, clock)), properties,
                () -> clock.now(TimeUnit.MICROSECONDS), clock);
        stage.start();

        configure(null, null); // no userIdleTimeoutMs of its own: the service's
        for (int prompt = 1; prompt <= 4; prompt++) {
            clock.advanceTimeBy(Duration.ofMillis(3_000));
            if (prompt <= agentTurns().size()) {
                played(agentTurns().get(prompt - 1).turnId(), replyDones().get(replyDones().size() - 1)
                        .generationId());
            }
        }
        assertThat(replyDones()).extracting(VoiceEvent.ReplyDone::text)
                .containsExactly("Hello?", "Still with me?", "Still with me?");

        SessionRoute other = new SessionRoute("sess_off", 2, null);
        transport.deliverEvent(Topics.CONTROL, other, new VoiceEvent.SessionStarted(other.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, new SessionConfig(16_000, 16_000, "low-latency",
                SessionConfig.Engines.simulated(), null, null, idleTurnTaking(0))));
        clock.advanceTimeBy(Duration.ofMinutes(5));
        assertThat(transport.sent).filteredOn(sent -> sent.route().equals(other)).isEmpty();
    }

    @Test
    void offUnlessTheSessionOrTheServiceSetsIt() {
        configure(null, null);
        clock.advanceTimeBy(Duration.ofMinutes(10));
        assertThat(transport.sent).isEmpty();
    }

    private List<VoiceEvent.AgentTurn> agentTurns() {
        return transport.events(Topics.DOWNLINK).stream().filter(VoiceEvent.AgentTurn.class::isInstance)
                .map(VoiceEvent.AgentTurn.class::cast).toList();
    }

    /** The gateway played the turn's reply to its end. */
    private void played(String turnId, String generationId) {
        control(new VoiceEvent.PlaybackStarted(ROUTE.sessionId(), turnId, generationId));
        control(new VoiceEvent.PlaybackStopped(ROUTE.sessionId(), turnId, generationId, 1_000, 1_000, false, ""));
    }

    private static SessionConfig.TurnTaking idleTurnTaking(int userIdleTimeoutMs) {
        return new SessionConfig.TurnTaking(null, null, null, null, null, null, userIdleTimeoutMs, null);
    }

    private void configureIdle(int userIdleTimeoutMs, String reply) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency", SessionConfig.Engines.simulated(),
                null, new SessionConfig.Simulation(null, null, null, null, null, null, null, reply, null),
                idleTurnTaking(userIdleTimeoutMs));
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    @Test
    void aFinalThatArrivesAfterTheCallerWentOnWaitsForTheFinalOfTheRest() {
        configure(null, null);
        // "testing … one two three": the recogniser's final of "testing" arrives when the caller is speaking again
        long firstEnd = pause("turn_1", 1_000);
        speechStarted("turn_1", 1_600);
        clock.advanceTimeBy(Duration.ofMillis(800));
        spoken("turn_1", "testing", firstEnd); // undecided: 700 ms, long gone since its pause
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(transport.types(Topics.CONTROL)).as("not committed while the caller speaks").isEmpty();
        long secondEnd = pause("turn_1", 3_000);
        clock.advanceTimeBy(Duration.ofSeconds(2)); // a slow recogniser
        assertThat(transport.types(Topics.CONTROL)).as("the rest's final decides").isEmpty();
        spoken("turn_1", "one two three", secondEnd);
        clock.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(replyDones()).singleElement().satisfies(done -> assertThat(done.text())
                .isEqualTo("You said: testing one two three. This is Voxline's simulated reply engine."));
        assertThat(transport.events(Topics.CONTROL)).filteredOn(VoiceEvent.TurnCommitted.class::isInstance)
                .hasSize(1);
    }

    @Test
    void aHeldTurnWhoseRestHadNoWordsIsDecidedOnTheWordsHeld() {
        configure(null, null);
        long firstEnd = pause("turn_1", 1_000);
        speechStarted("turn_1", 1_500);
        spoken("turn_1", "thank you", firstEnd); // complete, but the caller already makes a sound again
        long secondEnd = pause("turn_1", 1_800);
        assertThat(transport.types(Topics.CONTROL)).isEmpty();
        spoken("turn_1", "", secondEnd); // a cough

        assertThat(transport.events(Topics.CONTROL)).filteredOn(VoiceEvent.TurnCommitted.class::isInstance)
                .extracting(VoiceEvent::turnId).containsExactly("turn_1");
    }

    @Test
    void aHeldTurnWhoseRestNeverGetsAFinalIsCommittedAfterAGrace() {
        configure(null, null);
        long firstEnd = pause("turn_1", 1_000);
        speechStarted("turn_1", 1_500);
        spoken("turn_1", "testing", firstEnd);
        pause("turn_1", 2_000);
        clock.advanceTimeBy(Duration.ofMillis(3_000 + LlmStage.MISSING_FINAL_GRACE_MS - 1));
        assertThat(transport.types(Topics.CONTROL)).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(transport.events(Topics.CONTROL)).filteredOn(VoiceEvent.TurnCommitted.class::isInstance)
                .extracting(VoiceEvent::turnId).containsExactly("turn_1");
    }

    /** The caller's speech pauses now, at {@code audioMs} of their audio; returns the pause's speechEndUs. */
    private long pause(String turnId, long audioMs) {
        long speechEndUs = clock.now(TimeUnit.MICROSECONDS);
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.SpeechEnded(ROUTE.sessionId(), turnId,
                audioMs, audioMs / 20, speechEndUs));
        return speechEndUs;
    }

    private void speechStarted(String turnId, long audioMs) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.SpeechStarted(ROUTE.sessionId(), turnId,
                audioMs, audioMs / 20));
    }

    private void spoken(String turnId, String text, long speechEndUs) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(), turnId,
                text, false, speechEndUs));
    }

    private void control(VoiceEvent event) {
        transport.deliverEvent(Topics.CONTROL, ROUTE, event);
    }

    private List<VoiceEvent.ReplyDone> replyDones() {
        return transport.events(Topics.REPLIES).stream().filter(e -> e instanceof VoiceEvent.ReplyDone)
                .map(e -> (VoiceEvent.ReplyDone) e).toList();
    }

    private void transcript(String turnId, String text, boolean typed) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(), turnId,
                text, typed));
    }

    private void configure(String reply, String fault) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency", SessionConfig.Engines.simulated(),
                null, new SessionConfig.Simulation(null, null, null, null, null, null, null, reply, fault));
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }
}

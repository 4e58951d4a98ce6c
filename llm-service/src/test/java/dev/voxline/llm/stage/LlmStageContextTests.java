package dev.voxline.llm.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** The context of llm-service sessions: snapshots on voice.context, tombstones, restore, summaries. */
class LlmStageContextTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_ctx", 1, null);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingTransport transport = new RecordingTransport();
    private LlmStage stage;

    /** An "openai" engine that answers turns with "Noted." and summary requests with a canned summary. */
    static final class FakeOpenAi implements LlmEngine {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "openai";
        }

        @Override
        public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
            requests.add(request);
            boolean summary = request.messages().get(0).content().startsWith("You keep the memory");
            return Flux.just(LlmChunk.text(summary ? "The caller is Ada." : "Noted."));
        }
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.stop();
        }
    }

    private void start(LlmProperties properties, LlmEngine... engines) {
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service",
                EngineRegistry.<LlmEngine>builder("LLM").addAll(List.of(engines)).build(engines[0].name()), properties,
                WallClock::micros, Schedulers.parallel());
        stage.start();
    }

    private static LlmProperties properties(int maxTokens) {
        return new LlmProperties("simulated", 0, 0, "be brief", 20, 20)
                .withContext(new LlmProperties.Context(maxTokens, 40, true, Duration.ofSeconds(2)));
    }

    private static SimulatedLlmEngine simulated() {
        return new SimulatedLlmEngine(0, 0, Schedulers.parallel());
    }

    private static SessionConfig config(String llm, String reply) {
        return new SessionConfig(16_000, 16_000, "low-latency", new SessionConfig.Engines(null, null, llm, null), null,
                new SessionConfig.Simulation(null, null, null, null, null, null, null, reply, null));
    }

    private void sessionStarted(SessionConfig config) {
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    private void say(String turnId, String text) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(), turnId,
                text, true));
    }

    private List<VoiceEvent.ContextSnapshot> snapshots() {
        return transport.on(Topics.CONTEXT).stream().filter(s -> !s.isTombstone())
                .map(s -> (VoiceEvent.ContextSnapshot) s.event()).toList();
    }

    private VoiceEvent.ReplyDone awaitReply(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<VoiceEvent> done = transport.events(Topics.REPLIES).stream()
                    .filter(e -> e instanceof VoiceEvent.ReplyDone).toList();
            if (done.size() >= count) {
                return (VoiceEvent.ReplyDone) done.get(count - 1);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no reply.done #" + count + " in " + transport.types(Topics.REPLIES));
    }

    private void awaitCondition(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void theUserTurnAndTheReplyAreEachPublishedAsANewerSnapshotAndTheEndLeavesATombstone() {
        start(properties(2_000), simulated());
        SessionConfig config = config("simulated", "Hello Ada.");
        sessionStarted(config);
        say("turn_1", "My name is Ada.");
        awaitReply(1);
        awaitCondition(() -> snapshots().size() >= 2, "two snapshots");

        List<VoiceEvent.ContextSnapshot> snapshots = snapshots();
        assertThat(snapshots).extracting(VoiceEvent.ContextSnapshot::seq).containsExactly(1L, 2L);
        assertThat(snapshots.get(0).messages()).extracting(VoiceEvent.ContextSnapshot.Message::content)
                .containsExactly("My name is Ada.");
        assertThat(snapshots.get(1).messages()).extracting(VoiceEvent.ContextSnapshot.Message::role)
                .containsExactly("user", "assistant");
        assertThat(snapshots.get(1).config()).isEqualTo(config);
        assertThat(transport.on(Topics.CONTEXT)).allSatisfy(s -> assertThat(s.route().sessionId())
                .isEqualTo(ROUTE.sessionId()));

        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionEnded(ROUTE.sessionId(), "client"));
        assertThat(transport.on(Topics.CONTEXT).get(transport.on(Topics.CONTEXT).size() - 1).isTombstone()).isTrue();
    }

    @Test
    void aRestoredSessionKnowsItsEarlierTurnsAndItsEngineSettings() {
        transport.retain(Topics.CONTEXT, ROUTE, new VoiceEvent.ContextSnapshot(ROUTE.sessionId(), 4, null, List.of(
                new VoiceEvent.ContextSnapshot.Message("user", "My name is Ada."),
                new VoiceEvent.ContextSnapshot.Message("assistant", "Hello Ada.")),
                config("simulated", SimulatedLlmEngine.ECHO_CONTEXT)));
        start(properties(2_000), simulated());
        transport.assignPartitions(Set.of(0));

        transport.startedElsewhere(ROUTE.sessionId()); // the previous owner saw its session.started
        say("turn_2", "What is my name?");
        VoiceEvent.ReplyDone reply = awaitReply(1);

        assertThat(reply.text()).isEqualTo(
                "Context: user: My name is Ada. | assistant: Hello Ada. | user: What is my name?");
        assertThat(snapshots().get(0).seq()).isEqualTo(5);
        assertThat(transport.events(Topics.DOWNLINK)).noneMatch(e -> e instanceof VoiceEvent.Error);
    }

    @Test
    void withoutARestoreTheSessionStartsOverWithDefaults() {
        start(properties(2_000), simulated());
        transport.assignPartitions(Set.of(0));
        sessionStarted(config("simulated", SimulatedLlmEngine.ECHO_CONTEXT));
        say("turn_1", "What is my name?");
        assertThat(awaitReply(1).text()).isEqualTo("Context: user: What is my name?");
    }

    @Test
    void withTheOpenAiEngineDroppedTurnsAreSummarisedByItAndTheSummaryIsPersisted() {
        FakeOpenAi openai = new FakeOpenAi();
        start(properties(40), openai);
        sessionStarted(config("openai", null));
        say("turn_1", "My name is Ada and I would like a table for four people on Friday evening.");
        awaitReply(1);
        say("turn_2", "Also, one of us is vegetarian, so please note that down for the kitchen.");
        awaitReply(2);
        awaitCondition(() -> snapshots().stream().anyMatch(s -> s.summary() != null), "a snapshot with the summary");

        ChatRequest summaryRequest = openai.requests.stream()
                .filter(r -> r.messages().get(0).content().startsWith("You keep the memory")).findFirst().orElseThrow();
        assertThat(summaryRequest.lastUserText()).contains("Caller: My name is Ada");
        VoiceEvent.ContextSnapshot summarised = snapshots().stream().filter(s -> s.summary() != null).findFirst()
                .orElseThrow();
        assertThat(summarised.summary()).isEqualTo("The caller is Ada.");
        assertThat(summarised.messages()).extracting(VoiceEvent.ContextSnapshot.Message::content)
                .doesNotContain("My name is Ada and I would like a table for four people on Friday evening.");

        say("turn_3", "Thanks.");
        awaitReply(3);
        List<ChatRequest> turns = openai.requests.stream()
                .filter(r -> !r.messages().get(0).content().startsWith("You keep the memory")).toList();
        ChatRequest third = turns.get(turns.size() - 1);
        assertThat(third.lastUserText()).isEqualTo("Thanks.");
        assertThat(third.messages().get(1).content()).endsWith("The caller is Ada.");
    }

    @Test
    void withTheSimulatedEngineDroppedTurnsLeaveATruncatedLine() {
        start(properties(40), simulated());
        sessionStarted(config("simulated", "Fine."));
        say("turn_1", "My name is Ada and I would like a table for four people on Friday evening.");
        awaitReply(1);
        say("turn_2", "Also, one of us is vegetarian, so please note that down for the kitchen.");
        awaitReply(2);
        awaitCondition(() -> snapshots().stream().anyMatch(s -> s.summary() != null), "a truncated summary");
        assertThat(snapshots().stream().filter(s -> s.summary() != null).findFirst().orElseThrow().summary())
                .startsWith("Earlier the caller said: My name is Ada");
    }
}

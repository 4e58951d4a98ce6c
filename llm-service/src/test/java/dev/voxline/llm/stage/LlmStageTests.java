package dev.voxline.llm.stage;

import dev.voxline.kafka.testing.RecordingTransport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.llm.config.LlmProperties;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class LlmStageTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_c", 2, null);
    private static final String REPLY = "Sure, I can help with that today. It is sunny.";

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private LlmStage stage;

    @BeforeEach
    void start() {
        LlmProperties properties = new LlmProperties("simulated", 200, 50, "be brief", 20, 20);
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service",
                new SimulatedLlmEngine(properties.ttftMs(), properties.tokensPerSecond(), clock), properties);
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
        assertThat(transport.sent).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(transport.types(Topics.DOWNLINK)).containsExactly("reply.delta");
    }

    @Test
    void typedInputIsAnsweredTheSameWay() {
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
        assertThat(transport.sent).isEmpty();
        assertThat(stage.activeSessions()).isZero();
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

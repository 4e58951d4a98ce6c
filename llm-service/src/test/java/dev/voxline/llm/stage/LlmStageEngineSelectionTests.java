package dev.voxline.llm.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.llm.engine.BuiltinLlmEngine;
import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The session's choice of engine, and token counts from the engine's usage report. */
class LlmStageEngineSelectionTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_e", 1, null);

    private final RecordingTransport transport = new RecordingTransport();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final AtomicInteger reportingCreated = new AtomicInteger();
    private LlmStage stage;

    /** A model that reports its own token counts after the text. */
    private static final class ReportingEngine implements LlmEngine {
        @Override
        public String name() {
            return "reporting";
        }

        @Override
        public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
            return Flux.just(LlmChunk.text("Fine"), LlmChunk.text(", thanks."), LlmChunk.usage(42, 3));
        }
    }

    @BeforeEach
    void start() {
        LlmProperties properties = new LlmProperties("simulated", 200, 50, "be brief", 20, 20);
        EngineRegistry<LlmEngine> engines = EngineRegistry.<LlmEngine>builder("LLM")
                .add(new SimulatedLlmEngine(200, 50, clock))
                .add(new BuiltinLlmEngine(Clock.fixed(Instant.parse("2026-11-25T09:30:00Z"), ZoneOffset.UTC),
                        Duration.ZERO, clock))
                .addLazy("reporting", () -> {
                    reportingCreated.incrementAndGet();
                    return new ReportingEngine();
                })
                .addLazy("openai", () -> {
                    throw new IllegalStateException("the openai engine needs a model: set VOXLINE_LLM_MODEL");
                })
                .build("simulated");
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service", engines, properties,
                () -> clock.now(TimeUnit.MICROSECONDS), clock);
        stage.start();
    }

    @AfterEach
    void stop() {
        stage.stop();
        clock.dispose();
    }

    @Test
    void aSessionThatNamesTheBuiltinAssistantGetsIt() {
        start("builtin");
        transcript("turn_1", "What time is it?");
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(lastDone().text()).isEqualTo("It's 9:30 AM.");
        assertThat(transport.types(Topics.DOWNLINK)).doesNotContain("error");
    }

    @Test
    void aSessionThatNamesNoEngineGetsTheDefault() {
        start(null);
        transcript("turn_1", "hi");
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(lastDone().text()).isEqualTo("You said: hi. This is Voxline's simulated reply engine.");
    }

    @Test
    void anUnknownEngineIsReportedAndTheSessionGoesOnWithTheDefault() {
        start("gpt-9000");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.message()).contains(
                "unknown LLM engine 'gpt-9000'; available: builtin, openai, reporting, simulated",
                "using the default engine 'simulated'");

        transcript("turn_1", "hi");
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(lastDone().text()).startsWith("You said: hi.");
        assertThat(lastDone().cancelled()).isFalse();
    }

    @Test
    void anEngineWithoutItsSettingsIsReportedToThatSession() {
        start("openai");
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).get(0);
        assertThat(error.code()).isEqualTo("stage_failed");
        assertThat(error.message()).contains("LLM engine 'openai' is not available", "VOXLINE_LLM_MODEL",
                "using the default engine 'simulated'");
        transcript("turn_1", "hi");
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(lastDone().text()).startsWith("You said: hi.");
    }

    @Test
    void theModelsOwnTokenCountsGoIntoTheMetrics() {
        start("reporting");
        transcript("turn_1", "how are you");
        VoiceEvent.LlmMetrics llm = transport.events(Topics.METRICS).stream()
                .filter(VoiceEvent.LlmMetrics.class::isInstance).map(VoiceEvent.LlmMetrics.class::cast)
                .findFirst().orElseThrow();
        assertThat(llm.promptTokens()).isEqualTo(42);
        assertThat(llm.completionTokens()).isEqualTo(3);
        assertThat(lastDone().text()).isEqualTo("Fine, thanks.");
    }

    @Test
    void enginesAreCreatedOnceAndShared() {
        start("reporting");
        SessionRoute other = new SessionRoute("sess_f", 1, null);
        configure(other, "reporting");
        transcript("turn_1", "one");
        transport.deliverEvent(Topics.TRANSCRIPTS, other, new VoiceEvent.TranscriptFinal(other.sessionId(),
                "turn_1", "two", true));
        assertThat(reportingCreated).hasValue(1);
    }

    private VoiceEvent.ReplyDone lastDone() {
        List<VoiceEvent.ReplyDone> dones = transport.events(Topics.REPLIES).stream()
                .filter(VoiceEvent.ReplyDone.class::isInstance).map(VoiceEvent.ReplyDone.class::cast).toList();
        assertThat(dones).isNotEmpty();
        return dones.get(dones.size() - 1);
    }

    private void transcript(String turnId, String text) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(), turnId,
                text, true));
    }

    private void start(String llmEngine) {
        configure(ROUTE, llmEngine);
    }

    private void configure(SessionRoute route, String llmEngine) {
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines("simulated", "simulated", llmEngine, "simulated"), null, null);
        transport.deliverEvent(Topics.CONTROL, route, new VoiceEvent.SessionStarted(route.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }
}

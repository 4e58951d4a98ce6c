package dev.voxline.llm.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.engine.OpenAiSettings;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import dev.voxline.llm.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.scheduler.Schedulers;

/** A session on the openai engine, against the local fake server, through the stage: clauses, usage, failures. */
@ExtendWith(OutputCaptureExtension.class)
class LlmStageOpenAiTests {

    private static final SessionRoute ROUTE = new SessionRoute("sess_o", 0, null);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "sk-test-SECRET-7c1e9a04";

    private final RecordingTransport transport = new RecordingTransport();
    private FakeOpenAiServer server;
    private LlmStage stage;
    private EngineRegistry<LlmEngine> engines;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        LlmProperties properties = new LlmProperties("simulated", 200, 50, "be brief", 20, 20);
        OpenAiSettings openai = new OpenAiSettings(server.baseUrl(), "fake-model", KEY, 120, 0, 0);
        engines = EngineRegistry.<LlmEngine>builder("LLM").add(new SimulatedLlmEngine(200, 50, Schedulers.parallel()))
                .addLazy("openai", () -> new OpenAiLlmEngine(openai)).build("simulated");
        stage = new LlmStage(transport, RecordingTransport.noTopics(), "llm-service", engines, properties,
                WallClock::micros, Schedulers.parallel());
        stage.start();
        SessionConfig config = new SessionConfig(16_000, 16_000, "low-latency",
                new SessionConfig.Engines(null, null, "openai", null), null, null);
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.SessionStarted(ROUTE.sessionId(),
                AudioFormat.PIPELINE, AudioFormat.PIPELINE, config));
    }

    @AfterEach
    void stop() throws Exception {
        stage.stop();
        engines.close();
        server.close();
    }

    @Test
    void theRepliesClausesAndTheServersTokenCounts() {
        transcript("turn_1", "hello");
        VoiceEvent.ReplyDone done = awaitDone();
        assertThat(done.cancelled()).isFalse();
        assertThat(done.text()).isEqualTo("Hello there. How can I help?");
        assertThat(transport.events(Topics.REPLIES)).filteredOn(VoiceEvent.ReplyClause.class::isInstance)
                .extracting(e -> ((VoiceEvent.ReplyClause) e).text())
                .containsExactly("Hello there.", "How can I help?");
        VoiceEvent.LlmMetrics llm = awaitMetrics();
        assertThat(llm.promptTokens()).isEqualTo(17);
        assertThat(llm.completionTokens()).isEqualTo(9);
        assertThat(llm.ttftMs()).isPositive();
        assertThat(llm.cancelled()).isFalse();
        assertThat(llm.engine()).isEqualTo("openai");
        assertThat(llm.provider()).isEqualTo("127.0.0.1");
        assertThat(llm.model()).isEqualTo("fake-model");
    }

    @Test
    void aRefusedRequestFailsThatTurnAndTheSessionGoesOn() {
        server.mode = FakeOpenAiServer.Mode.ERROR;
        transcript("turn_1", "hello");
        VoiceEvent.ReplyDone done = awaitDone();
        assertThat(done.cancelled()).isTrue();
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).stream()
                .filter(VoiceEvent.Error.class::isInstance).findFirst().orElseThrow();
        assertThat(error.turnId()).isEqualTo("turn_1");
        assertThat(error.message()).startsWith("llm failed:").contains("401", "Incorrect API key provided");

        server.mode = FakeOpenAiServer.Mode.STREAM;
        transcript("turn_2", "again");
        await().atMost(WAIT).until(() -> dones().size() == 2);
        assertThat(dones().get(1).cancelled()).isFalse();
        assertThat(dones().get(1).text()).isEqualTo("Hello there. How can I help?");
    }

    @Test
    void theApiKeyGoesOnlyToTheModelServerNeverIntoEventsOrLogs(CapturedOutput output) {
        server.mode = FakeOpenAiServer.Mode.ERROR;
        server.errorMessage = "Incorrect API key provided: " + KEY + "."; // a server that echoes the key
        transcript("turn_1", "hello");
        awaitDone();
        server.mode = FakeOpenAiServer.Mode.STREAM;
        transcript("turn_2", "again");
        await().atMost(WAIT).until(() -> dones().size() == 2);

        assertThat(server.requests()).isNotEmpty()
                .allSatisfy(request -> assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY));
        VoiceEvent.Error error = (VoiceEvent.Error) transport.events(Topics.DOWNLINK).stream()
                .filter(VoiceEvent.Error.class::isInstance).findFirst().orElseThrow();
        assertThat(error.message()).contains("Incorrect API key provided: ***").doesNotContain(KEY);
        for (String topic : List.of(Topics.DOWNLINK, Topics.REPLIES, Topics.METRICS, Topics.CONTROL)) {
            assertThat(transport.events(topic)).as(topic).allSatisfy(event -> assertThat(
                    JsonCodec.get().encodeToString(event)).doesNotContain(KEY));
        }
        // Voxline's own log lines; Spring AI's aggregator, which logs the server's message verbatim, is switched
        // off in llm-service.yml (no Spring context here to apply it)
        assertThat(output.getAll().lines().filter(line -> line.contains(" dev.voxline.")))
                .as("Voxline's log lines").isNotEmpty().noneMatch(line -> line.contains(KEY));
        assertThat(new OpenAiSettings(server.baseUrl(), "fake-model", KEY, 120, 0, 0).toString())
                .doesNotContain(KEY).contains("apiKey=***");
    }

    @Test
    void aStreamBrokenOffFailsTheTurnAfterWhatArrived() {
        server.mode = FakeOpenAiServer.Mode.DISCONNECT;
        transcript("turn_1", "hello");
        VoiceEvent.ReplyDone done = awaitDone();
        assertThat(done.cancelled()).isTrue();
        assertThat(done.text()).isEqualTo("Hello there");
        assertThat(transport.types(Topics.DOWNLINK)).contains("error");
    }

    @Test
    void anInterruptClosesTheUpstreamConnection() throws Exception {
        server.mode = FakeOpenAiServer.Mode.HOLD;
        transcript("turn_1", "hello");
        assertThat(server.holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> transport.types(Topics.DOWNLINK).contains("reply.delta"));
        transport.deliverEvent(Topics.CONTROL, ROUTE, new VoiceEvent.Interrupt(ROUTE.sessionId(), "turn_1",
                "client", "interrupt"));
        assertThat(server.clientClosed.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the server saw the connection closed").isTrue();
        assertThat(awaitDone().cancelled()).isTrue();
    }

    private VoiceEvent.ReplyDone awaitDone() {
        await().atMost(WAIT).until(() -> !dones().isEmpty());
        return dones().get(0);
    }

    private VoiceEvent.LlmMetrics awaitMetrics() {
        await().atMost(WAIT).until(() -> transport.types(Topics.METRICS).contains("metrics.llm"));
        return transport.events(Topics.METRICS).stream().filter(VoiceEvent.LlmMetrics.class::isInstance)
                .map(VoiceEvent.LlmMetrics.class::cast).findFirst().orElseThrow();
    }

    private List<VoiceEvent.ReplyDone> dones() {
        return transport.events(Topics.REPLIES).stream().filter(VoiceEvent.ReplyDone.class::isInstance)
                .map(VoiceEvent.ReplyDone.class::cast).toList();
    }

    private void transcript(String turnId, String text) {
        transport.deliverEvent(Topics.TRANSCRIPTS, ROUTE, new VoiceEvent.TranscriptFinal(ROUTE.sessionId(), turnId,
                text, true));
    }
}

package dev.voxline.llm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.llm.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The openai engine against a local fake server that speaks the chat-completions streaming protocol. */
class OpenAiLlmEngineTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeOpenAiServer server;
    private OpenAiLlmEngine engine;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        // a request timeout far beyond WAIT: a connection closed within WAIT was closed by the cancel, not by it
        engine = new OpenAiLlmEngine(new OpenAiSettings(server.baseUrl(), "fake-model", "sk-test", 120, 0, 0));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        server.close();
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest(List.of(new ChatRequest.Message(ChatRequest.SYSTEM, "Be brief."),
                new ChatRequest.Message(ChatRequest.USER, "Hi."),
                new ChatRequest.Message(ChatRequest.ASSISTANT, "Hello!"),
                new ChatRequest.Message(ChatRequest.USER, text)));
    }

    @Test
    void streamsTheDeltasThenTheServersUsage() {
        List<LlmChunk> chunks = engine.stream(ask("What can you do?"), new LlmSettings(null)).collectList()
                .block(WAIT);

        assertThat(chunks).filteredOn(LlmChunk::hasText).extracting(LlmChunk::text)
                .containsExactly("Hello", " there", ".", " How", " can", " I", " help?");
        assertThat(chunks).extracting(LlmChunk::usage).filteredOn(u -> u != null)
                .containsExactly(new LlmChunk.Usage(17, 9));
        assertThat(chunks.get(chunks.size() - 1).usage()).isNotNull();
        assertThat(engine.tracked()).isZero();
    }

    @Test
    void sendsAStreamingRequestWithUsageTheKeyAndTheWholeConversation() {
        engine.stream(ask("What can you do?"), new LlmSettings(null)).blockLast(WAIT);

        FakeOpenAiServer.Request request = server.requests().get(0);
        assertThat(request.requestLine()).startsWith("POST /v1/chat/completions ");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = JsonMapper.builder().build().readTree(request.body());
        assertThat(body.get("model").asString()).isEqualTo("fake-model");
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("stream_options").toString()).isEqualTo("{\"include_usage\":true}");
        assertThat(body.get("messages").valueStream().map(m -> m.get("role").asString() + ": "
                + m.get("content").asString()).toList()).containsExactly("system: Be brief.", "user: Hi.",
                "assistant: Hello!", "user: What can you do?");
    }

    @Test
    void aBlankKeySendsNoAuthorizationHeader() {
        try (OpenAiLlmEngine keyless = new OpenAiLlmEngine(
                new OpenAiSettings(server.baseUrl(), "fake-model", "", 10, 0, 0))) {
            keyless.stream(ask("x"), new LlmSettings(null)).blockLast(WAIT);
        }
        assertThat(server.requests().get(0).header("Authorization")).isNull();
    }

    @Test
    void anErrorResponseFailsTheTurnWithTheServersMessage() {
        server.mode = FakeOpenAiServer.Mode.ERROR;
        StepVerifier.create(engine.stream(ask("x"), new LlmSettings(null)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(OpenAiLlmEngine.LlmProviderException.class)
                        .hasMessageContaining("fake-model at " + server.baseUrl())
                        .hasMessageContaining("401")
                        .hasMessageContaining("Incorrect API key provided"))
                .verify(WAIT);
        assertThat(server.served()).isEqualTo(1); // no retries by default: a voice turn cannot wait
    }

    @Test
    void aServerErrorFailsTheTurn() {
        server.mode = FakeOpenAiServer.Mode.ERROR;
        server.errorStatus = 500;
        server.errorMessage = "The server had an error while processing your request.";
        server.errorType = "server_error";
        StepVerifier.create(engine.stream(ask("x"), new LlmSettings(null)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(OpenAiLlmEngine.LlmProviderException.class)
                        .hasMessageContaining("500")
                        .hasMessageContaining("The server had an error"))
                .verify(WAIT);
    }

    @Test
    void aDisconnectMidStreamFailsTheTurnAfterTheWordsThatArrived() {
        server.mode = FakeOpenAiServer.Mode.DISCONNECT;
        StepVerifier.create(engine.streamText(ask("x"), new LlmSettings(null)))
                .expectNext("Hello", " there")
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(OpenAiLlmEngine.LlmProviderException.class)
                        .hasMessageContaining("model server (fake-model at " + server.baseUrl() + ")"))
                .verify(WAIT);
    }

    @Test
    void cancellingTheStreamClosesTheConnection() throws Exception {
        server.mode = FakeOpenAiServer.Mode.HOLD;
        StepVerifier.create(engine.streamText(ask("x"), new LlmSettings(null)))
                .expectNext("Hello")
                .thenCancel()
                .verify(WAIT);
        assertThat(server.holding.getCount()).isZero();
        assertThat(server.clientClosed.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the server saw the connection closed").isTrue();
        assertThat(engine.tracked()).isZero();
    }

    @Test
    void cancellingAStreamStillUnderWayClosesItBeforeItsEnd() {
        server.tokens = java.util.Collections.nCopies(100, " word");
        server.eventDelayMs = 20;
        StepVerifier.create(engine.streamText(ask("x"), new LlmSettings(null)))
                .expectNextCount(3)
                .thenCancel()
                .verify(WAIT);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !server.streams().isEmpty());
        FakeOpenAiServer.Stream stream = server.streams().get(0);
        assertThat(stream.closedByClient()).as("the server saw the stream closed").isTrue();
        assertThat(stream.sent()).isBetween(3, 10);
        assertThat(engine.tracked()).isZero();
    }

    @Test
    void theEngineCanBeUsedAgainAfterAFailure() {
        server.mode = FakeOpenAiServer.Mode.DISCONNECT;
        StepVerifier.create(engine.streamText(ask("x"), new LlmSettings(null)))
                .expectNextCount(2).expectError().verify(WAIT);
        server.mode = FakeOpenAiServer.Mode.STREAM;
        assertThat(engine.streamText(ask("x"), new LlmSettings(null)).collectList().block(WAIT))
                .hasSize(7);
    }

    @Test
    void theStreamTagIsNotSentToTheServer() {
        engine.stream(ask("x"), new LlmSettings(null)).blockLast(WAIT);
        assertThat(server.requests().get(0).header(OpenAiLlmEngine.STREAM_HEADER)).isNull();
    }

    @Test
    void warmingUpSendsNothing() {
        engine.warmUp();
        assertThat(server.served()).isZero();
    }

    @Test
    void closingStopsItsThreads() {
        engine.streamText(ask("x"), new LlmSettings(null)).blockLast(WAIT);
        assertThat(threads()).isNotEmpty();
        engine.close();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> threads().isEmpty());
    }

    private static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("OkHttp Dispatcher") || name.startsWith("openai-stream-handler"))
                .toList();
    }

    @Test
    void withoutAModelItCannotBeCreated() {
        assertThatThrownBy(() -> new OpenAiLlmEngine(new OpenAiSettings(server.baseUrl(), " ", "", 10, 0, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VOXLINE_LLM_MODEL");
    }
}

package dev.voxline.local;

import dev.voxline.llm.testing.FakeOpenAiServer;
import dev.voxline.loadtest.otlp.OtlpTraceReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One broker and one full stack per test JVM, shared by every integration test and isolated by sessionId. Started on
 * first use, stopped when the JVM exits. llm-service's {@code openai} engine points at a local fake model server
 * ({@link #openAi()}), so a session that names that engine streams its reply over real SSE; every service exports
 * its spans over OTLP/HTTP to a local receiver ({@link #traces()}), as it would to a collector.
 */
final class SharedStack {

    /** The model name the fake server is configured with. */
    static final String OPENAI_MODEL = "fake-model";

    private static LocalStack stack;
    private static FakeOpenAiServer openAi;
    private static OtlpTraceReceiver traces;
    private static RunningService secondGateway;

    private SharedStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            if (openAi == null) { // kept if a start fails: the next test's start tries again with it
                openAi = startFakeOpenAi();
            }
            if (traces == null) {
                traces = startTraceReceiver();
            }
            stack = LocalStack.start(LocalStackOptions.forTests()
                    // a turn whose stage never answers is reported after this (TurnClockKafkaIntegrationTests)
                    .withProperty("voxline.metrics.turn-timeout", "3s")
                    .withProperty("voxline.llm.openai.base-url", openAi.baseUrl())
                    .withProperty("voxline.llm.openai.model", OPENAI_MODEL)
                    // seconds of class loading in the middle of every test JVM's start-up, for one test's first turn
                    .withProperty("voxline.llm.openai.warm-up", "false")
                    .withProperty("management.opentelemetry.tracing.export.otlp.endpoint", traces.tracesEndpoint())
                    .withProperty("management.opentelemetry.tracing.export.schedule-delay", "200ms"));
            FakeOpenAiServer server = openAi;
            OtlpTraceReceiver receiver = traces;
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                closeQuietly(server);
                receiver.close();
            }, "shared-stack-stop"));
            warmUp(stack.gatewayPort());
        }
        return stack;
    }

    /**
     * A few short typed turns through every service before any test measures anything: the first turns after start
     * run on cold JIT and cold connections, and tests that check the clock's arithmetic should not see that.
     */
    private static void warmUp(int port) {
        for (int turn = 0; turn < 3; turn++) {
            try (TestTalkClient client = TestTalkClient.connect(port)) {
                client.sendJson(PipelineScenarios.fastSession(null, "Ready."));
                client.sendJson("{\"type\":\"text.input\",\"text\":\"warm up\"}");
                client.await(dev.voxline.contracts.event.VoiceEvent.AudioDone.class, java.time.Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static FakeOpenAiServer startFakeOpenAi() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake model server", e);
        }
    }

    private static OtlpTraceReceiver startTraceReceiver() {
        try {
            return new OtlpTraceReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP trace receiver", e);
        }
    }

    /** What every service of the stack exported: the spans of all tests' turns (the stack started first). */
    static OtlpTraceReceiver traces() {
        get();
        return traces;
    }

    private static void closeQuietly(FakeOpenAiServer server) {
        try {
            server.close();
        } catch (IOException e) {
            // the JVM is exiting
        }
    }

    /** The fake OpenAI-compatible server behind the stack's {@code openai} engine (the stack started first). */
    static FakeOpenAiServer openAi() {
        get();
        return openAi;
    }

    static int gatewayPort() {
        return get().gatewayPort();
    }

    static String bootstrapServers() {
        return get().bootstrapServers();
    }

    /** A second gateway instance (index 1) on the same broker, started on first use. */
    static synchronized int secondGatewayPort() {
        if (secondGateway == null) {
            secondGateway = get().startGateway(1);
        }
        return secondGateway.port();
    }
}

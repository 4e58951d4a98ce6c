package dev.voxline.local;

/**
 * One broker and one full stack per test JVM (DESIGN.md §7), shared by every integration test and isolated by
 * sessionId. Started on first use, stopped when the JVM exits.
 */
final class SharedStack {

    private static LocalStack stack;
    private static RunningService secondGateway;

    private SharedStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            stack = LocalStack.start(LocalStackOptions.forTests()
                    // a turn whose stage never answers is reported after this (TurnClockKafkaIntegrationTests)
                    .withProperty("voxline.metrics.turn-timeout", "3s"));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "shared-stack-stop"));
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

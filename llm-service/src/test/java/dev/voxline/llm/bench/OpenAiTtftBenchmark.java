package dev.voxline.llm.bench;

import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.engine.OpenAiSettings;
import dev.voxline.llm.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Not a test: prints the time to the first text delta (the client's share of TTFT) of the openai engine (Spring AI's
 * OpenAiChatModel on the OpenAI Java SDK and OkHttp) and of a raw WebClient SSE call, against the same local fake
 * server answering at once, interleaved; plus the engine's one-time costs and the memory it adds. Run from the
 * repository root:
 * <pre>
 * mvn -B -q -o -pl llm-service test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/llm-cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp llm-service/target/test-classes:llm-service/target/classes:$(cat /tmp/llm-cp.txt) \
 *     dev.voxline.llm.bench.OpenAiTtftBenchmark 500      # -DnoWarmUp=true: without the engine's warm-up
 * </pre>
 */
public final class OpenAiTtftBenchmark {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ChatRequest request = new ChatRequest(List.of(new ChatRequest.Message(ChatRequest.SYSTEM, "Be brief."),
                new ChatRequest.Message(ChatRequest.USER, "Hello there")));
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            // warm the JDK's own HTTP-free paths a little, so the delta below is the engine's
            new FakeOpenAiServer().close();
            Memory before = Memory.now();
            long t0 = System.nanoTime();
            OpenAiLlmEngine engine = new OpenAiLlmEngine(
                    new OpenAiSettings(server.baseUrl(), "fake-model", "sk-test", 30, 0, 0));
            long t1 = System.nanoTime();
            boolean warm = !Boolean.getBoolean("noWarmUp");
            if (warm) {
                engine.warmUp();
            }
            long t2 = System.nanoTime();
            System.out.printf("spring-ai: warm-up %s in %.1f ms%n", warm ? "done" : "skipped", (t2 - t1) / 1e6);
            double springFirst = firstDelta(() -> engine.streamText(request, new LlmSettings(null)));
            System.out.printf("spring-ai: engine created in %.1f ms, first call TTFT %.1f ms%n",
                    (t1 - t0) / 1e6, springFirst);
            Memory after = Memory.now();
            System.out.printf("spring-ai: the engine and its first call added %d classes, %.1f MiB metaspace, "
                    + "%.1f MiB heap (after GC), %d threads%n", after.classes - before.classes,
                    (after.metaspace - before.metaspace) / 1048576.0, (after.heap - before.heap) / 1048576.0,
                    after.threads - before.threads);

            WebClient client = WebClient.builder().baseUrl(server.baseUrl())
                    .defaultHeader("Authorization", "Bearer sk-test").build();
            JsonMapper json = JsonMapper.builder().build();
            Map<String, Object> body = Map.of("model", "fake-model", "stream", true,
                    "stream_options", Map.of("include_usage", true),
                    "messages", List.of(Map.of("role", "system", "content", "Be brief."),
                            Map.of("role", "user", "content", "Hello there")));
            java.util.function.Supplier<Flux<String>> raw = () -> client.post().uri("/chat/completions")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve()
                    .bodyToFlux(new org.springframework.core.ParameterizedTypeReference<ServerSentEvent<String>>() {
                    })
                    .map(ServerSentEvent::data)
                    .takeWhile(data -> data != null && !"[DONE]".equals(data))
                    .concatMapIterable(data -> {
                        JsonNode choices = json.readTree(data).path("choices");
                        String text = choices.isArray() && !choices.isEmpty()
                                ? choices.get(0).path("delta").path("content").asString("") : "";
                        return text.isEmpty() ? List.<String>of() : List.of(text);
                    });
            double rawFirst = firstDelta(raw);
            System.out.printf("webclient: first call TTFT %.1f ms%n", rawFirst);

            for (int i = 0; i < 100; i++) { // warm-up
                firstDelta(() -> engine.streamText(request, new LlmSettings(null)));
                firstDelta(raw);
            }
            List<Double> spring = new ArrayList<>();
            List<Double> webclient = new ArrayList<>();
            for (int i = 0; i < rounds; i++) { // interleaved, so both see the same machine state
                spring.add(firstDelta(() -> engine.streamText(request, new LlmSettings(null))));
                webclient.add(firstDelta(raw));
            }
            System.out.printf("%-10s %8s %8s %8s   (ms to the first text delta, %d rounds, server answers at once)%n",
                    "client", "p50", "p95", "p99", rounds);
            print("spring-ai", spring);
            print("webclient", webclient);
        }
        System.exit(0);
    }

    private record Memory(long classes, long metaspace, long heap, int threads) {
        static Memory now() {
            System.gc();
            long metaspace = 0;
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().equals("Metaspace")) {
                    metaspace = pool.getUsage().getUsed();
                }
            }
            return new Memory(java.lang.management.ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
                    metaspace, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    Thread.activeCount());
        }
    }

    private static double firstDelta(java.util.function.Supplier<Flux<String>> call) {
        long start = System.nanoTime();
        String first = call.get().next().block(WAIT);
        if (first == null) {
            throw new IllegalStateException("no delta");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void print(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("%-10s %8.2f %8.2f %8.2f%n", name, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99));
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}

package dev.voxline.llm.engine;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The simulated chat model, with exact timings so benchmarks can separate pipeline cost from engine cost. It
 * answers the session's scripted reply, or honestly echoes what it heard. The reply streams as word tokens (each
 * with its leading whitespace): the first after the TTFT, then one per 1/tokensPerSecond, on a fixed schedule.
 * Fault {@code llm.fail}: an error after the TTFT instead of the first token. Fault {@code llm.silent}: the engine
 * never answers (a stream that never emits, still cancellable), for the turn report's timeout path. The scripted
 * reply {@value #ECHO_CONTEXT} answers with the context it was given instead (every message after the system
 * prompt, as {@code role: content}), so tests can see what a real model would have known.
 */
public final class SimulatedLlmEngine implements LlmEngine {

    public static final String FAULT = "llm.fail";
    public static final String SILENT = "llm.silent";
    public static final String ECHO_CONTEXT = "{context}";
    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+$");

    private final int ttftMs;
    private final double tokensPerSecond;
    private final Scheduler timer;

    public SimulatedLlmEngine(int ttftMs, double tokensPerSecond, Scheduler timer) {
        this.ttftMs = ttftMs;
        this.tokensPerSecond = tokensPerSecond;
        this.timer = timer;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
        return tokenStream(request, settings).map(LlmChunk::text);
    }

    private Flux<String> tokenStream(ChatRequest request, LlmSettings settings) {
        SessionConfig.Simulation simulation = settings.simulationOrEmpty();
        Duration ttft = Duration.ofMillis(Math.max(0, simulation.llmTtftMs() != null
                ? simulation.llmTtftMs() : ttftMs));
        double rate = simulation.llmTokensPerSecond() != null ? simulation.llmTokensPerSecond() : tokensPerSecond;
        if (simulation.hasFault(SILENT)) {
            return Flux.never();
        }
        if (simulation.hasFault(FAULT)) {
            return Mono.delay(ttft, timer).thenMany(Flux.error(
                    new IllegalStateException("simulated LLM failure (fault " + FAULT + ")")));
        }
        List<String> tokens = tokens(reply(request, simulation));
        if (tokens.isEmpty()) {
            return Mono.delay(ttft, timer).thenMany(Flux.empty());
        }
        if (rate <= 0 || Double.isInfinite(rate)) {
            return Mono.delay(ttft, timer).thenMany(Flux.fromIterable(tokens));
        }
        // A fixed schedule (token i at ttft + i/rate), so scheduling jitter does not accumulate.
        Duration period = Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)));
        return Flux.interval(ttft, period, timer)
                .onBackpressureBuffer()
                .take(tokens.size())
                .map(i -> tokens.get(i.intValue()));
    }

    static String reply(ChatRequest request, SessionConfig.Simulation simulation) {
        if (ECHO_CONTEXT.equals(simulation.reply())) {
            return echoContext(request);
        }
        if (simulation.reply() != null) {
            return simulation.reply();
        }
        String heard = request.lastUserText().strip().replaceAll("[.!?…]+$", "");
        return "You said: " + heard + ". This is Voxline's simulated reply engine.";
    }

    static String echoContext(ChatRequest request) {
        List<String> parts = new ArrayList<>();
        List<ChatRequest.Message> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            ChatRequest.Message message = messages.get(i);
            if (i == 0 && ChatRequest.SYSTEM.equals(message.role())) {
                continue; // the configured system prompt: the same in every session
            }
            parts.add(message.role() + ": " + message.content());
        }
        return "Context: " + String.join(" | ", parts);
    }

    /** Words with their leading whitespace, so concatenating the tokens gives the text back. */
    public static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }
}

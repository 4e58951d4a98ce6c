package dev.voxline.loadtest.cli;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.client.TurnRunner;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./voxline bench alerts}: an alert's whole life against a running Voxline. Typed turns with a simulated LLM
 * whose time to first token is {@code --slow-ttft} until the rule fires, then {@code --fast-ttft} until it resolves,
 * while metrics-service's {@code GET /api/v1/alerts?rule=} is polled; prints when each state began, counted from the
 * first slow turn and from the first fast one.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"An alert firing and resolving: raise the simulated LLM's TTFT above the rule's threshold, "
                + "then lower it again, against a running Voxline (./voxline up --allow-test-settings).",
                "Prints each state of the rule (pending, firing, resolved) with its time and the turns it took."})
public final class AlertsBenchCommand implements Callable<Integer> {

    @Mixin
    private GatewayOption gateway;

    @Option(names = "--metrics", defaultValue = "http://localhost:8085", description = "metrics-service (default: "
            + "${DEFAULT-VALUE})")
    private URI metrics;

    @Option(names = "--rule", defaultValue = "llm_ttft_p95", description = "the rule to watch (default: "
            + "${DEFAULT-VALUE})")
    private String rule;

    @Option(names = "--slow-ttft", defaultValue = "700", description = "the simulated TTFT (ms) that breaches the "
            + "rule (default: ${DEFAULT-VALUE})")
    private int slowTtftMs;

    @Option(names = "--fast-ttft", defaultValue = "100", description = "the simulated TTFT (ms) after it fired "
            + "(default: ${DEFAULT-VALUE})")
    private int fastTtftMs;

    @Option(names = "--max", defaultValue = "5m", converter = Durations.class, description = "give up on a phase "
            + "after this long (default: ${DEFAULT-VALUE})")
    private Duration max;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String initial = state();
        out.printf(Locale.ROOT, "rule %s is %s; slow phase: simulated TTFT %d ms until it fires%n", rule, initial,
                slowTtftMs);
        out.flush();
        List<String> timeline = new ArrayList<>();
        long slowStart = System.nanoTime();
        Phase slow = phase(slowTtftMs, "firing", slowStart, timeline, out);
        if (!slow.reached()) {
            out.printf("the rule did not fire within %s%n", max);
            return 1;
        }
        out.printf(Locale.ROOT, "fast phase: simulated TTFT %d ms until it resolves%n", fastTtftMs);
        out.flush();
        long fastStart = System.nanoTime();
        Phase fast = phase(fastTtftMs, "resolved", fastStart, timeline, out);
        out.println();
        timeline.forEach(out::println);
        out.printf(Locale.ROOT, "fired %.1f s after the first slow turn (%d slow turns); resolved %.1f s after the "
                        + "first fast turn (%d fast turns)%n", slow.seconds(), slow.turns(), fast.seconds(),
                fast.turns());
        out.flush();
        return fast.reached() ? 0 : 1;
    }

    private record Phase(boolean reached, double seconds, int turns) {
    }

    /** Typed turns with the given TTFT, a few per session, until the rule is in {@code target}. */
    private Phase phase(int ttftMs, String target, long startNanos, List<String> timeline, PrintWriter out)
            throws Exception {
        SessionOptions options = SessionOptions.defaults().withSimulation(new SessionConfig.Simulation(0, 0, ttftMs,
                200.0, 0, 0.05, null, "Noted.", null));
        TalkRequest request = TalkRequest.text("how is the weather").withMetricsWait(Duration.ofSeconds(5));
        String last = state();
        int turns = 0;
        while (System.nanoTime() - startNanos < max.toNanos()) {
            TurnRunner.Outcome outcome;
            try {
                outcome = new TurnRunner(gateway.url(), options, request, 0, 1, false).run(line -> { }, turn -> "");
            } catch (TalkException e) {
                out.println("turn failed: " + e.getMessage());
                continue;
            }
            turns++;
            String state = state();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            TurnResult turn = outcome.measured().isEmpty() ? null : outcome.measured().get(0);
            Double ttft = turn != null && turn.metrics() != null ? turn.metrics().llmTtft() : null;
            if (!state.equals(last)) {
                String entry = String.format(Locale.ROOT, "%6.1f s  turn %3d (TTFT %s ms): %s → %s", seconds, turns,
                        ttft == null ? "?" : String.format(Locale.ROOT, "%.0f", ttft), last, state);
                timeline.add(entry);
                out.println(entry);
                out.flush();
                last = state;
            }
            if (state.equals(target)) {
                return new Phase(true, seconds, turns);
            }
        }
        return new Phase(false, (System.nanoTime() - startNanos) / 1e9, turns);
    }

    private String state() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics.resolve("/api/v1/alerts?rule="
                + rule)).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/alerts answered " + response.statusCode());
        }
        JsonNode statuses = json.readTree(response.body());
        if (!statuses.isArray() || statuses.isEmpty()) {
            throw new IllegalStateException("metrics-service has no rule " + rule);
        }
        return statuses.get(0).get("state").asString();
    }
}

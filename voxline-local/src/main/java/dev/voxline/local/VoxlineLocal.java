package dev.voxline.local;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./voxline up}: the broker and every service on this machine, until Ctrl-C.
 *
 * <p>Options: {@code --port=N} (gateway, default 8080), {@code --kafka=HOST:PORT} (an external broker instead of the
 * embedded one), {@code --data-dir=DIR} (embedded broker data, default {@code .voxline/kafka}, wiped at start),
 * {@code --allow-test-settings} (clients may set simulated-engine timings and faults), {@code --free-ports} (every
 * service but the gateway on a free port), {@code --transport=kafka|in-process} (in-process: no broker, the services
 * share in-memory queues, metrics-service does not run), {@code --otlp=URL} (export every service's traces and
 * metrics over OTLP/HTTP to a collector at URL, e.g. {@code http://localhost:4318}), {@code --tracing=off} (no spans
 * and no trace context on records: the baseline of {@code bench tracing}), {@code --warm-up=N} (N spoken turns through
 * the whole pipeline before the ready banner, default 3, 0 for none: {@link WarmUp}), {@code --help}.
 */
public final class VoxlineLocal {

    /** Warm-up turns when {@code --warm-up} is not given. */
    static final int DEFAULT_WARM_UP_TURNS = 3;
    static final int MAX_WARM_UP_TURNS = 20;

    /** What the command line asks for: the stack, and how many warm-up turns it gets before the ready banner. */
    record Launch(LocalStackOptions options, int warmUpTurns) {
    }

    private VoxlineLocal() {
    }

    public static void main(String[] args) {
        Launch launch;
        try {
            launch = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("voxline: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (launch == null) {
            System.out.println(usage());
            return;
        }

        LocalStack stack;
        try {
            stack = LocalStack.start(launch.options());
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("voxline: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("voxline: stopping ...");
            stack.close();
            System.out.println("voxline: stopped");
            stopped.countDown();
        }, "voxline-stop"));
        stack.broker().ifPresent(broker -> broker.onExit().thenRun(() -> {
            if (!stopping.get()) {
                System.err.println("voxline: the Kafka broker exited unexpectedly; see " + broker.logFile());
                System.exit(1);
            }
        }));
        if (launch.warmUpTurns() > 0) {
            System.out.println("voxline: warming up: " + launch.warmUpTurns() + " spoken turns through the pipeline");
        }
        WarmUp.Result warmUp = WarmUp.run(stack.gatewayPort(), launch.warmUpTurns());
        if (stopping.get()) {
            return; // Ctrl-C during the warm-up: the shutdown hook stops the stack
        }
        System.out.println(banner(stack, warmUp));
        try {
            stopped.await(); // until Ctrl-C (SIGINT) or SIGTERM runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The options of {@code args}, or null for {@code --help}; a bad option is an IllegalArgumentException. */
    static Launch parse(String[] args) {
        LocalStackOptions options = LocalStackOptions.defaults();
        int warmUpTurns = DEFAULT_WARM_UP_TURNS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "-h", "--help", "help" -> {
                    return null;
                }
                case "--allow-test-settings" -> options = options.withAllowTestSettings(true);
                case "--free-ports" -> options = options.withRandomPorts(true);
                case "--port", "--kafka", "--data-dir", "--transport", "--otlp", "--tracing", "--warm-up" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if ("--warm-up".equals(name)) {
                        warmUpTurns = warmUpTurns(value);
                    } else {
                        options = withValue(options, name, value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new Launch(options, warmUpTurns);
    }

    private static int warmUpTurns(String value) {
        try {
            int turns = Integer.parseInt(value);
            if (turns >= 0 && turns <= MAX_WARM_UP_TURNS) {
                return turns;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--warm-up needs a number of turns from 0 to " + MAX_WARM_UP_TURNS + ": "
                + value);
    }

    private static LocalStackOptions withValue(LocalStackOptions options, String name, String value) {
        if ("--port".equals(name)) {
            try {
                return options.withGatewayPort(Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port needs a number: " + value);
            }
        }
        if ("--kafka".equals(name)) {
            return options.withBootstrapServers(value);
        }
        if ("--otlp".equals(name)) {
            return withOtlp(options, value);
        }
        if ("--tracing".equals(name)) {
            if ("on".equals(value)) {
                return options;
            }
            if ("off".equals(value)) {
                return options.withProperty("voxline.tracing.enabled", "false")
                        .withProperty("management.tracing.sampling.probability", "0.0");
            }
            throw new IllegalArgumentException("--tracing is on or off: " + value);
        }
        if ("--transport".equals(name)) {
            if ("kafka".equals(value)) {
                return options.withTransport(LocalStackOptions.Transport.KAFKA);
            }
            if ("in-process".equals(value)) {
                return options.withTransport(LocalStackOptions.Transport.IN_PROCESS);
            }
            throw new IllegalArgumentException("--transport is kafka or in-process: " + value);
        }
        return options.withDataDir(Path.of(value));
    }

    /** Traces to {@code <url>/v1/traces} and metrics to {@code <url>/v1/metrics}, from every service. */
    static LocalStackOptions withOtlp(LocalStackOptions options, String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new IllegalArgumentException("--otlp needs an http(s) URL of an OTLP/HTTP receiver, e.g. "
                    + "http://localhost:4318: " + url);
        }
        return options.withProperty("management.opentelemetry.tracing.export.otlp.endpoint", base + "/v1/traces")
                .withProperty("management.otlp.metrics.export.enabled", "true")
                .withProperty("management.otlp.metrics.export.url", base + "/v1/metrics")
                .withProperty("management.otlp.metrics.export.step", "15s");
    }

    static String usage() {
        return """
                usage: voxline up [--port=8080] [--kafka=HOST:PORT] [--data-dir=.voxline/kafka] [--allow-test-settings]
                                  [--free-ports] [--transport=kafka|in-process] [--otlp=URL] [--tracing=on|off]
                                  [--warm-up=3]

                  --port=N               gateway HTTP/WebSocket port (the other services use 8081-8085)
                  --kafka=HOST:PORT      use this Kafka broker instead of starting the embedded one
                  --data-dir=DIR         embedded broker data directory (wiped at every start)
                  --allow-test-settings  let clients set simulated-engine timings and faults in session.start
                  --free-ports           every service but the gateway on a free port instead of 8081-8085
                  --transport=in-process no broker: the services share in-memory queues in this JVM (the
                                         single-process baseline of ./voxline bench overhead); metrics-service
                                         does not run, so turn.metrics are not reported in this mode
                  --otlp=URL             export traces and metrics over OTLP/HTTP to a collector at URL (e.g.
                                         http://localhost:4318, the collector of docker-compose.yml); without it
                                         every turn is still traced (trace ids in turn.metrics and the logs) but
                                         nothing is exported
                  --tracing=off          no spans and no trace context at all (the baseline of bench tracing)
                  --warm-up=N            N spoken turns (default 3, 0 for none) through the whole pipeline before
                                         the ready banner, so the first caller's turn is no slower than the next
                                         ones; they are real turns, reported by metrics-service like any other
                """;
    }

    private static String banner(LocalStack stack, WarmUp.Result warmUp) {
        int port = stack.gatewayPort();
        double readySeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        long rss = stack.totalRssBytes();
        String kafka = stack.inProcessTransport().isPresent()
                ? "none: in-process transport (in-memory queues); no metrics-service, so no turn.metrics"
                : stack.broker()
                .map(b -> stack.bootstrapServers() + " (embedded, pid " + b.pid() + ", data " + b.dataDir() + ")")
                .orElse(stack.bootstrapServers() + " (external)");
        StringBuilder services = new StringBuilder();
        for (RunningService service : stack.services()) {
            services.append(services.length() == 0 ? "" : ", ").append(ServiceLogTag.tagOf(service.name()))
                    .append(" :").append(service.port());
        }
        String turns = stack.services().stream()
                .filter(s -> s.name().equals(LocalService.METRICS.serviceName())).findFirst()
                .map(s -> "http://localhost:" + s.port() + "/api/v1/turns   (per-turn latency reports)")
                .orElse("not reported (metrics-service does not run with the in-process transport)");
        return String.format(Locale.ROOT, """

                ------------------------------------------------------------------------------
                 Voxline is ready in %.1f s (broker %.1f s, services %.1f s, side by side), RSS %s (this JVM + broker)
                   WebSocket  ws://localhost:%d/v1/talk          protocol: docs/protocol.md
                   services   %s
                   Kafka      %s
                   turns      %s
                   warm-up    %s
                 Try it from another terminal:
                     ./voxline talk some.wav            (any WAV; prints transcript, reply, latency)
                     ./voxline talk --text "Hello, who are you?"
                 Engines: Silero VAD, Vosk STT, the built-in assistant (no LLM configured), MaryTTS.
                 Ctrl-C stops everything.
                ------------------------------------------------------------------------------
                """, readySeconds, stack.brokerStartMillis() / 1000.0, stack.servicesStartMillis() / 1000.0,
                ProcessMemory.mb(rss), port, services, kafka, turns, warmUp.summary());
    }
}

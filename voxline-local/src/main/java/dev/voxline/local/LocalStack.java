package dev.voxline.local;

import dev.voxline.kafka.InProcessVoiceTransport;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * The embedded default: a real KRaft broker (child JVM) and every Voxline service, each in its own Spring
 * application context in this JVM. The services share nothing but the class path: each has its own
 * configuration, port, consumer groups and beans, and they talk only through Kafka.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests())) {
 *     URI talk = URI.create("ws://localhost:" + stack.gatewayPort() + "/v1/talk");
 *     RunningService second = stack.startGateway(1);   // another gateway instance on the same broker
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String LOGGING_CONFIG = "classpath:dev/voxline/local/logback-local.xml";
    private static final Object LOGGING_LOCK = new Object();
    private static final String BROKER_HOST = "127.0.0.1";
    /** What {@code kafka-storage format} writes into a KRaft log dir. */
    private static final List<String> FORMAT_FILES = List.of("meta.properties", "bootstrap.checkpoint");
    private static boolean loggingConfigured;

    private final LocalStackOptions options;
    private final List<RunningService> services = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile EmbeddedKafkaBroker broker;
    /** In-process mode: the one transport every service context shares instead of Kafka. */
    private final InProcessVoiceTransport inProcessTransport;
    private volatile String bootstrapServers;
    private volatile long brokerMillis;
    private volatile long servicesMillis;

    private LocalStack(LocalStackOptions options) {
        this.options = options;
        this.inProcessTransport = options.inProcess() ? new InProcessVoiceTransport() : null;
    }

    /**
     * Starts the broker (unless an external one is given) and every service, and waits until all are healthy. The
     * embedded broker starts on a port chosen up front, at the same time as the service contexts: their Kafka
     * clients retry until it answers, and on 2 cores the two start-ups overlap well.
     */
    public static LocalStack start(LocalStackOptions options) {
        if (options.configureLogging()) {
            configureLogging();
        }
        LocalStack stack = new LocalStack(options);
        try {
            CompletableFuture<Void> brokerReady = stack.startBroker();
            long t0 = System.nanoTime();
            List<CompletableFuture<RunningService>> starts = stack.startServices();
            await(brokerReady);
            stack.services.addAll(stack.join(starts));
            stack.awaitHealthy(stack.services);
            stack.servicesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    public int gatewayPort() {
        return service(LocalService.GATEWAY.serviceName()).port();
    }

    /** The broker's bootstrap address; null in in-process mode. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The shared in-memory transport of an in-process stack. */
    public Optional<InProcessVoiceTransport> inProcessTransport() {
        return Optional.ofNullable(inProcessTransport);
    }

    /** The embedded broker, if this stack started one. */
    public Optional<EmbeddedKafkaBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /** Every running service context, in start order (extra gateways last). */
    public List<RunningService> services() {
        return List.copyOf(services);
    }

    public RunningService service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + " in " + services));
    }

    /** Milliseconds the embedded broker took to be ready (0 with an external broker). */
    public long brokerStartMillis() {
        return brokerMillis;
    }

    /** Milliseconds from starting the service contexts until every health endpoint said UP. */
    public long servicesStartMillis() {
        return servicesMillis;
    }

    /** Resident memory of this JVM and the processes it started (the broker), from /proc; 0 elsewhere. */
    public long totalRssBytes() {
        return ProcessMemory.totalRssBytes();
    }

    /**
     * Starts one more gateway context on the same broker with another instance index, so it owns other
     * voice.downlink partitions; always on a free port. Waits until it is healthy. {@link #close()} stops it too.
     */
    public RunningService startGateway(int instanceIndex) {
        String name = LocalService.GATEWAY.serviceName() + "-" + instanceIndex;
        Map<String, String> args = serviceArguments(LocalService.GATEWAY, name, 0);
        args.put("voxline.gateway.instance-index", Integer.toString(instanceIndex));
        RunningService gateway = join(List.of(startContext(LocalService.GATEWAY, name, args))).get(0);
        services.add(gateway);
        awaitHealthy(List.of(gateway));
        return gateway;
    }

    /**
     * Stops one service context and starts it again with the same settings (a fresh context: nothing in memory
     * survives, as after a process restart), and waits until it is healthy. The gateway keeps its port, so clients
     * can reconnect; the others get a free one when the stack uses random ports.
     */
    public RunningService restartService(String name) {
        RunningService old = service(name);
        LocalService kind = java.util.Arrays.stream(LocalService.values())
                .filter(s -> name.equals(s.serviceName()) || name.startsWith(s.serviceName() + "-"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("not a Voxline service: " + name));
        old.close();
        services.remove(old);
        int port = kind == LocalService.GATEWAY ? old.port() : options.randomPorts() ? 0 : kind.defaultPort();
        Map<String, String> args = serviceArguments(kind, name, port);
        if (kind == LocalService.GATEWAY) {
            args.put("voxline.gateway.instance-index", name.equals(kind.serviceName()) ? "0"
                    : name.substring(kind.serviceName().length() + 1));
        }
        RunningService restarted = join(List.of(startContext(kind, name, args))).get(0);
        services.add(restarted);
        awaitHealthy(List.of(restarted));
        log.info("restarted {}", restarted);
        return restarted;
    }

    // --- start-up ---

    private CompletableFuture<Void> startBroker() {
        if (options.inProcess()) {
            log.info("in-process transport: no Kafka broker, metrics-service not started");
            return CompletableFuture.completedFuture(null);
        }
        if (!options.embeddedBroker()) {
            bootstrapServers = options.bootstrapServers().trim();
            log.info("using the Kafka broker at {}", bootstrapServers);
            return CompletableFuture.completedFuture(null);
        }
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        if (options.dataDir() != null) {
            Path dir = options.dataDir().toAbsolutePath().normalize();
            if (options.wipeDataDir()) {
                wipePartitions(dir);
            }
            builder.dataDir(dir);
        }
        int port = freeLoopbackPort();
        bootstrapServers = BROKER_HOST + ":" + port;
        EmbeddedKafkaBroker starting = builder.port(port).build();
        broker = starting;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                starting.start();
                brokerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                ready.complete(null);
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "start-kafka");
        thread.setDaemon(true);
        thread.start();
        return ready;
    }

    private List<CompletableFuture<RunningService>> startServices() {
        List<CompletableFuture<RunningService>> starts = new ArrayList<>();
        for (LocalService service : LocalService.values()) {
            if (options.inProcess() && service.usesCloudStream()) {
                continue; // metrics-service binds with Spring Cloud Stream's Kafka binder: it needs a broker
            }
            int port = service == LocalService.GATEWAY ? options.gatewayPort()
                    : options.randomPorts() ? 0 : service.defaultPort();
            Map<String, String> args = serviceArguments(service, service.serviceName(), port);
            if (service == LocalService.GATEWAY) {
                args.put("voxline.gateway.instance-index", "0");
            }
            starts.add(startContext(service, service.serviceName(), args));
        }
        return starts;
    }

    private static void await(CompletableFuture<Void> brokerReady) {
        try {
            brokerReady.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the Kafka broker did not start: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kafka broker", e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BROKER_HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + BROKER_HOST, e);
        }
    }

    /**
     * Per-context settings as command-line arguments: {@code SpringApplicationBuilder.properties()} only sets
     * defaults, which a service's own yml would override.
     */
    private Map<String, String> serviceArguments(LocalService service, String name, int port) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("spring.config.name", service.serviceName());
        args.put("spring.application.name", name);
        args.put("server.port", Integer.toString(port));
        if (options.inProcess()) {
            // nothing may touch a broker: no topic declaration (the other Kafka beans step aside for the shared
            // in-process transport, see startContext)
            args.put("voxline.kafka.declare-topics", "false");
        } else {
            args.put("voxline.kafka.bootstrap-servers", bootstrapServers);
        }
        // this class closes the contexts (then the broker), in one shutdown hook, in that order
        args.put("spring.main.register-shutdown-hook", "false");
        args.put("logging.register-shutdown-hook", "false");
        args.put("spring.main.banner-mode", "off");
        // Ctrl-C should not wait for open WebSockets to finish
        args.put("server.shutdown", "immediate");
        args.put(CloudStreamAutoConfigurationFilter.PROPERTY, Boolean.toString(service.usesCloudStream()));
        if (service == LocalService.GATEWAY && options.allowTestSettings()) {
            args.put("voxline.gateway.allow-test-settings", "true");
        }
        args.putAll(options.properties());
        return args;
    }

    /**
     * Runs the context on its own thread in its own thread group, so the threads it creates (Kafka clients,
     * listener containers) are logged under its name (see {@link ServiceLogTag}).
     */
    private CompletableFuture<RunningService> startContext(LocalService service, String name,
                                                            Map<String, String> properties) {
        String tag = ServiceLogTag.tagOf(name);
        ThreadGroup group = new ThreadGroup(tag);
        ServiceLogTag.register(group, tag);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        CompletableFuture<RunningService> result = new CompletableFuture<>();
        SpringApplicationBuilder builder = new SpringApplicationBuilder(service.applicationClass())
                .properties("spring.config.name=" + service.serviceName());
        // before refresh, so Boot's own factory (@ConditionalOnMissingBean) is skipped: see SharedReactorResources
        builder.initializers(context -> context.getBeanFactory().registerSingleton("reactorResourceFactory",
                SharedReactorResources.get()));
        if (inProcessTransport != null) {
            // registered before refresh, so voice-kafka's KafkaVoiceTransport (@ConditionalOnMissingBean) and its
            // health indicator (@ConditionalOnBean(KafkaVoiceTransport)) are skipped; the stack, not the context,
            // closes it
            builder.initializers(context -> context.getBeanFactory().registerSingleton("inProcessVoiceTransport",
                    (VoiceTransport) inProcessTransport));
        }
        Supplier<ConfigurableApplicationContext> run = () -> builder.run(args);
        Thread thread = new Thread(group, () -> {
            MDC.put(ServiceLogTag.MDC_KEY, tag);
            try {
                ConfigurableApplicationContext context = run.get();
                int port = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : -1;
                result.complete(new RunningService(name, context, port));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                MDC.remove(ServiceLogTag.MDC_KEY);
            }
        }, "start-" + tag);
        thread.start();
        return result;
    }

    /** Waits for every start; if one failed, closes those that started and throws the first failure. */
    private List<RunningService> join(List<CompletableFuture<RunningService>> starts) {
        List<RunningService> started = new ArrayList<>();
        Throwable failure = null;
        for (CompletableFuture<RunningService> start : starts) {
            try {
                started.add(start.get());
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            started.forEach(RunningService::close);
            throw new IllegalStateException("a Voxline service failed to start: " + failure, failure);
        }
        return started;
    }

    /** Polls each {@code /actuator/health} until it answers UP (it includes the Kafka readiness indicator). */
    private void awaitHealthy(List<RunningService> pending) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        List<RunningService> waiting = new ArrayList<>(pending);
        Map<String, String> lastAnswer = new LinkedHashMap<>();
        while (!waiting.isEmpty()) {
            waiting.removeIf(service -> {
                String answer = health(service.healthUri());
                lastAnswer.put(service.name(), answer);
                return answer.startsWith("200 ") && answer.contains("\"status\":\"UP\"");
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("not healthy within ")
                        .append(options.readyTimeout().toSeconds()).append(" s:");
                waiting.forEach(s -> message.append("\n  ").append(s).append(" -> ").append(lastAnswer.get(s.name())));
                throw new IllegalStateException(message.toString());
            }
            if (broker != null && brokerMillis > 0 && !broker.isRunning()) {
                throw new IllegalStateException("the Kafka broker stopped; see " + broker.logFile());
            }
            try {
                Thread.sleep(50); // the launcher's own start-up wait, not a service's hot path
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the services", e);
            }
        }
    }

    private String health(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * A fresh broker every start: delete the partitions, the metadata log and the old broker log, but keep what
     * formatting the storage wrote ({@code meta.properties}, {@code bootstrap.checkpoint}): a KRaft node with an empty
     * metadata log starts from those exactly as after a format, and skipping the format JVM saves seconds. If the pid
     * file names a live process (an orphan of a killed launcher), leave everything to the broker, which stops that
     * orphan itself.
     */
    private static void wipePartitions(Path dir) {
        Path pidFile = dir.resolve("broker.pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    log.warn("not wiping {}: process {} still uses it", dir, pid);
                    return;
                }
            }
            Path logDir = dir.resolve("kraft");
            if (Files.isDirectory(logDir)) {
                boolean formatted = Files.isRegularFile(logDir.resolve(FORMAT_FILES.get(0)))
                        && Files.isRegularFile(logDir.resolve(FORMAT_FILES.get(1)));
                try (Stream<Path> entries = Files.list(logDir)) {
                    for (Path entry : entries.toList()) {
                        if (!formatted || !FORMAT_FILES.contains(entry.getFileName().toString())) {
                            deleteRecursively(entry);
                        }
                    }
                }
            }
            Files.deleteIfExists(dir.resolve("broker.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe the broker data in " + dir, e);
        } catch (NumberFormatException e) {
            log.warn("ignoring unreadable {}", pidFile);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * One logging set-up for the JVM before any context starts: Boot then leaves it alone in every context (it only
     * applies their {@code logging.level.*}) instead of each context re-initialising logback with its own name.
     */
    private static void configureLogging() {
        synchronized (LOGGING_LOCK) {
            if (loggingConfigured) {
                return;
            }
            LoggingSystem system = LoggingSystem.get(LocalStack.class.getClassLoader());
            system.beforeInitialize();
            system.initialize(new LoggingInitializationContext(new StandardEnvironment()), LOGGING_CONFIG, null);
            loggingConfigured = true;
        }
    }

    // --- shutdown ---

    /** Closes every service context (in parallel), then the broker. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (RunningService service : services) {
            closing.add(CompletableFuture.runAsync(() -> {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    log.warn("closing {} failed: {}", service.name(), e.toString());
                }
            }, runnable -> new Thread(runnable, "stop-" + service.name()).start()));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("not every service stopped cleanly: {}", e.toString());
        }
        services.clear();
        if (inProcessTransport != null) {
            inProcessTransport.close();
        }
        EmbeddedKafkaBroker b = broker;
        if (b != null) {
            b.close(); // also stops a broker that is still starting
        }
    }
}

package dev.voxline.kafka.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) running in a child JVM.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:PORT"
 * }
 * }</pre>
 *
 * <p>{@link #start()} formats the storage if needed, launches {@code kafka.Kafka} and blocks until a
 * probe record is acknowledged. {@link #close()} stops the child with SIGTERM (a clean shutdown), then
 * kills it if it does not exit in time; it is idempotent and also runs from a JVM shutdown hook, so a
 * normal exit or Ctrl-C of the parent leaves no broker behind. A parent killed with SIGKILL cannot
 * stop its child; the next broker started on the same data directory stops that orphan first.
 *
 * <p>Files in the data directory: {@code server.properties}, {@code log4j2.properties},
 * {@code classpath.args} (the child's class path, as a java argument file), {@code broker.log} (the
 * child's stdout and stderr, format step included), {@code broker.pid} and {@code kraft/} (the log dir).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedKafkaBroker.class.getName());
    /** A system property on every child JVM, valued with its data dir, so its processes can be recognised. */
    public static final String PROCESS_MARKER = "voxline.embedded.kafka";
    private static final int BIND_ATTEMPTS = 3;

    private final Path requestedDataDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    /** Extra broker JVM options, whitespace-separated (e.g. {@code -XX:+UseParallelGC -Xmn96m}). */
    public static final String JVM_OPTIONS_PROPERTY = "voxline.broker.jvm-options";

    private final int heapMb;
    private final Duration startTimeout;
    private final Duration shutdownTimeout;
    private final Boolean deleteOnClose;
    private final Map<String, String> overrides;
    private final List<String> extraJvmArgs;
    private final boolean classDataSharing;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Process process;
    private volatile Path dataDir;
    private volatile boolean dataDirCreatedHere;
    private volatile boolean keepDataDir;
    private volatile int port;
    private volatile int controllerPort;
    private volatile long startupMillis = -1;
    private volatile long formatMillis = -1;
    private volatile boolean ready;
    private volatile BrokerLog log;
    private volatile String classpathSource;
    private volatile long logMark;
    private volatile long listenMillis;
    private volatile long probeMillis;
    private volatile ClassDataArchive classData;
    private volatile Thread shutdownHook;

    private EmbeddedKafkaBroker(Builder b) {
        this.requestedDataDir = b.dataDir;
        this.requestedPort = b.port;
        this.requestedControllerPort = b.controllerPort;
        this.heapMb = b.heapMb;
        this.startTimeout = b.startTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.deleteOnClose = b.deleteOnClose;
        this.overrides = Map.copyOf(b.properties);
        this.extraJvmArgs = List.copyOf(b.jvmArgs);
        this.classDataSharing = b.classDataSharing;
    }

    private static EmbeddedKafkaBroker shared;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One broker per JVM with default settings, started on first use and stopped by the shutdown hook:
     * what integration tests share (isolated by topic or sessionId) so a test JVM pays one start-up.
     * Do not close it.
     */
    public static synchronized EmbeddedKafkaBroker shared() {
        if (shared == null || !shared.isRunning()) {
            shared = builder().build().start();
        }
        return shared;
    }

    /**
     * Formats (first time only), launches the child JVM and blocks until the broker acknowledged a
     * probe record or the start timeout passed.
     *
     * @return this broker, started
     * @throws EmbeddedKafkaException if it cannot start; the message includes the broker log's errors and
     *         tail, and the child is gone when this is thrown
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public EmbeddedKafkaBroker start() {
        if (closing.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("an EmbeddedKafkaBroker can be started once; build a new one");
        }
        long t0 = System.nanoTime();
        long deadline = t0 + startTimeout.toNanos();
        installShutdownHook();
        ClientWarmUp.startInBackground();
        try {
            prepareDataDir();
            log = new BrokerLog(dataDir.resolve("broker.log"));
            logMark = log.size();
            stopOrphan();
            BrokerClasspath.Resolved classpath = BrokerClasspath.resolve();
            List<String> jvmFlags = jvmFlags();
            classpathSource = classpath.source();
            classData = ClassDataArchive.forBroker(classpath, classDataSharing);
            writeClasspathArgs(classpath);
            for (int attempt = 1; ; attempt++) {
                choosePorts();
                Path config = writeConfig();
                if (!Files.isRegularFile(logDir().resolve("meta.properties"))) {
                    format(classpath, jvmFlags, config, deadline);
                } else if (formatMillis < 0) {
                    formatMillis = 0;
                }
                String clusterId = storedClusterId();
                long logOffset = log.size();
                launch(classpath, jvmFlags, config);
                long launched = System.nanoTime();
                BrokerReadiness readiness = new BrokerReadiness(process, KraftServerProperties.HOST, port, clusterId, deadline);
                try {
                    readiness.await();
                    listenMillis = TimeUnit.NANOSECONDS.toMillis(readiness.portOpenNanos() - launched);
                    probeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readiness.portOpenNanos());
                    break;
                } catch (BrokerReadiness.BrokerExited exited) {
                    String output = log.readFrom(logOffset);
                    boolean portsOurs = requestedPort == 0 && requestedControllerPort == 0;
                    if (portsOurs && attempt < BIND_ATTEMPTS && output.contains("Address already in use")) {
                        // someone took a port between our probe and the broker's bind: try fresh ones
                        LOG.log(System.Logger.Level.WARNING, "Kafka broker lost its port to another process, retrying");
                        if (classData != null) {
                            classData.finish(false);
                        }
                        continue;
                    }
                    throw log.failure("Kafka broker exited with code " + exited.exitCode + " during start-up", output, null);
                }
            }
            startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            ready = true;
            LOG.log(System.Logger.Level.INFO, () -> "Kafka broker ready at " + bootstrapServers() + " in " + startupMillis
                    + " ms (format " + formatMillis + ", launch to listening " + listenMillis + ", first ack "
                    + probeMillis + "), pid " + pid() + ", log " + logFile() + ", classes from " + classpathSource
                    + (classData == null ? "" : ", class data " + classData.path()));
            return this;
        } catch (EmbeddedKafkaException e) {
            throw abortStart(e);
        } catch (TimeoutException e) {
            throw abortStart(log.failure("Kafka broker was not ready within " + startTimeout.toSeconds() + " s: "
                    + e.getMessage(), logMark, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abortStart(new EmbeddedKafkaException("interrupted while starting the Kafka broker", e));
        } catch (ExecutionException e) {
            throw abortStart(log.failure("Kafka broker did not pass the readiness probe: " + e.getCause(),
                    logMark, e.getCause()));
        } catch (IOException | RuntimeException e) {
            String summary = "Kafka broker failed to start: " + e;
            throw abortStart(log == null ? new EmbeddedKafkaException(summary, e) : log.failure(summary, logMark, e));
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        requireStarted();
        return KraftServerProperties.HOST + ":" + port;
    }

    public int port() {
        requireStarted();
        return port;
    }

    public int controllerPort() {
        requireStarted();
        return controllerPort;
    }

    /** The child broker JVM's process id. */
    public long pid() {
        requireStarted();
        return process.pid();
    }

    /** Wall time of {@link #start()}: storage format plus launch until the first acknowledged write. */
    public long startupMillis() {
        requireStarted();
        return startupMillis;
    }

    /** Part of {@link #startupMillis()} spent formatting the storage; 0 when the data dir was already formatted. */
    public long formatMillis() {
        requireStarted();
        return formatMillis;
    }

    public Path dataDir() {
        return dataDir != null ? dataDir : requestedDataDir;
    }

    /** The child JVM's stdout and stderr. */
    public Path logFile() {
        Path dir = dataDir();
        return dir == null ? null : dir.resolve("broker.log");
    }

    public boolean isRunning() {
        Process p = process;
        return ready && p != null && p.isAlive() && !closing.get();
    }

    boolean closeRequested() {
        return closing.get();
    }

    /** Completes when the child broker process has exited, for whatever reason. */
    public CompletableFuture<Void> onExit() {
        requireStarted();
        return process.onExit().thenApply(p -> null);
    }

    /**
     * Stops the broker: SIGTERM, wait for its clean shutdown, then kill. Deletes the data directory if
     * so configured. Idempotent; a concurrent caller waits until the first one is done.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            boolean clean = stop(process);
            ClassDataArchive archive = classData;
            if (archive != null) {
                // a broker that never got ready recorded too few classes to be worth keeping
                archive.finish(clean && ready);
            }
            Path dir = dataDir;
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("broker.pid"));
                } catch (IOException ignored) {
                    // stale pid files are checked against the command line before use
                }
                boolean delete = deleteOnClose != null ? deleteOnClose : dataDirCreatedHere;
                if (delete && !keepDataDir) {
                    deleteRecursively(dir);
                }
            }
        } finally {
            removeShutdownHook();
            closed.countDown();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + (ready ? bootstrapServers() + ", pid " + process.pid() : "not started")
                + ", dataDir " + dataDir() + "]";
    }

    // --- start-up steps ---

    private void prepareDataDir() throws IOException {
        if (requestedDataDir != null) {
            dataDir = Files.createDirectories(requestedDataDir.toAbsolutePath());
        } else {
            dataDir = Files.createTempDirectory("voxline-kafka-");
            dataDirCreatedHere = true;
        }
    }

    private Path logDir() {
        return dataDir.resolve("kraft");
    }

    private Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    /** A broker left running by a parent that was SIGKILLed still holds this data dir's lock: stop it. */
    private void stopOrphan() throws IOException {
        Path pidFile = dataDir.resolve("broker.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String marker = "-D" + PROCESS_MARKER + "=" + dataDir;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(marker + " ")).orElse(false))
                    .ifPresent(orphan -> {
                        LOG.log(System.Logger.Level.WARNING, () -> "Stopping orphaned Kafka broker pid " + pid + " on " + dataDir);
                        orphan.destroy();
                        try {
                            orphan.onExit().get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (Exception notYet) {
                            orphan.destroyForcibly();
                            try {
                                // the new broker cannot lock the data dir before the old one is gone
                                orphan.onExit().get(10, TimeUnit.SECONDS);
                            } catch (Exception ignored) {
                                // the new broker will say the dir is locked
                            }
                        }
                    });
        } catch (NumberFormatException ignored) {
            // not ours
        }
        Files.deleteIfExists(pidFile);
    }

    /** Free ports for what was left at 0; a fixed port that is taken fails here, before any JVM is launched. */
    private void choosePorts() throws IOException {
        InetAddress loopback = InetAddress.getByName(KraftServerProperties.HOST);
        try (ServerSocket a = bind(loopback, requestedPort, "port");
             ServerSocket b = bind(loopback, requestedControllerPort, "controllerPort")) {
            port = a.getLocalPort();
            controllerPort = b.getLocalPort();
        }
    }

    private static ServerSocket bind(InetAddress address, int port, String setting) throws IOException {
        try {
            return new ServerSocket(port, 1, address);
        } catch (BindException e) {
            throw new EmbeddedKafkaException(setting + " " + port + " on " + address.getHostAddress()
                    + " is already in use (another broker?); choose another one or 0 for a free port");
        }
    }

    private String storedClusterId() throws IOException {
        Properties meta = new Properties();
        try (var in = Files.newInputStream(logDir().resolve("meta.properties"))) {
            meta.load(in);
        }
        return meta.getProperty("cluster.id", "");
    }

    private Path writeConfig() throws IOException {
        Path config = serverProperties();
        KraftServerProperties.write(
                KraftServerProperties.combinedNode(port, controllerPort, logDir(), overrides), config);
        KraftServerProperties.writeLog4j2(dataDir.resolve("log4j2.properties"));
        return config;
    }

    List<String> jvmFlags() {
        List<String> extra = new ArrayList<>(extraJvmArgs);
        String fromProperty = System.getProperty(JVM_OPTIONS_PROPERTY, "").strip();
        if (!fromProperty.isEmpty()) {
            extra.addAll(List.of(fromProperty.split("\\s+")));
        }
        List<String> flags = new ArrayList<>(List.of(
                "-Xms64m", "-Xmx" + heapMb + "m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true"));
        if (extra.stream().noneMatch(flag -> flag.matches("-XX:\\+Use\\w+GC"))) {
            flags.add("-XX:+UseSerialGC"); // the default collector, unless an extra option chooses another
        }
        flags.addAll(extra);
        return flags;
    }

    private void format(BrokerClasspath.Resolved classpath, List<String> jvmFlags, Path config, long deadline)
            throws IOException, InterruptedException, TimeoutException {
        long t0 = System.nanoTime();
        List<String> command = javaCommand(classpath, jvmFlags, false);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()));
        long logOffset = log.size();
        Process formatter = adopt(newProcess(command).start());
        if (!formatter.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            formatter.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new TimeoutException("formatting the storage did not finish");
        }
        if (formatter.exitValue() != 0) {
            throw log.failure("Formatting the Kafka storage failed with exit code " + formatter.exitValue(),
                    logOffset, null);
        }
        formatMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void writeClasspathArgs(BrokerClasspath.Resolved classpath) throws IOException {
        String quoted = classpath.asArgument().replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(dataDir.resolve("classpath.args"), "-cp\n\"" + quoted + "\"\n", StandardCharsets.UTF_8);
    }

    private void launch(BrokerClasspath.Resolved classpath, List<String> jvmFlags, Path config) throws IOException {
        List<String> command = javaCommand(classpath, jvmFlags, true);
        command.addAll(List.of(BrokerClasspath.BROKER_MAIN, config.toString()));
        log.note(Instant.now() + " starting: " + String.join(" ", command));
        Process broker = adopt(newProcess(command).start());
        Files.writeString(dataDir.resolve("broker.pid"), Long.toString(broker.pid()));
    }

    /** Makes the child the one close() stops, unless close() already ran (Ctrl-C during start). */
    private Process adopt(Process child) {
        process = child;
        if (closing.get()) {
            child.destroyForcibly();
            throw new EmbeddedKafkaException("the broker was closed while starting");
        }
        return child;
    }

    private List<String> javaCommand(BrokerClasspath.Resolved classpath, List<String> jvmFlags, boolean broker) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmFlags);
        if (!broker) {
            // the format tool is short-lived; keep its heap small whatever the broker gets
            command.removeIf(f -> f.startsWith("-Xmx"));
            command.add("-Xmx128m");
        }
        if (classData != null) {
            command.addAll(classData.jvmOptions(broker));
        }
        command.add("-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties").toUri());
        command.add("-D" + PROCESS_MARKER + "=" + dataDir);
        // an argument file keeps the command line short: `ps` stays readable and ProcessHandle, which
        // truncates command lines at 4 KiB, still sees the marker and the main class
        command.add("@" + dataDir.resolve("classpath.args"));
        return command;
    }

    private ProcessBuilder newProcess(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.path().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        // the parent's agent or debug options (a JDWP port!) must not leak into the broker
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        return builder;
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    // --- shutdown ---

    /** Stops whatever child is running, after the failure has been described from the live log. */
    private EmbeddedKafkaException abortStart(EmbeddedKafkaException failure) {
        Path log = logFile();
        keepDataDir = log != null && Files.exists(log); // the log stays for inspection; its path is in the exception
        close();
        return failure;
    }

    /** @return true if the process exited by itself after SIGTERM */
    private boolean stop(Process p) {
        if (p == null || !p.isAlive()) {
            return p != null;
        }
        p.destroy();
        try {
            if (p.waitFor(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.log(System.Logger.Level.WARNING, () -> "Kafka broker pid " + p.pid() + " did not stop within "
                    + shutdownTimeout.toSeconds() + " s, killing it");
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void installShutdownHook() {
        Thread hook = new Thread(this::close, "embedded-kafka-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        } catch (IllegalStateException shuttingDown) {
            throw new IllegalStateException("the JVM is shutting down", shuttingDown);
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it will find this broker closed
            }
        }
    }

    private void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort, it is a temp dir
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private void requireStarted() {
        if (!ready) {
            throw new IllegalStateException("the broker has not been started");
        }
    }

    /** Settings for one broker; every one has a default that works offline on a laptop. */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int controllerPort;
        private int heapMb = 512;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(20);
        private Boolean deleteOnClose;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private boolean classDataSharing = true;

        private Builder() {
        }

        /** Where config, log and partitions live; default a fresh temp dir. An already formatted dir is reused as is. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir);
            return this;
        }

        /** The client (PLAINTEXT) port on 127.0.0.1; 0, the default, picks a free one. */
        public Builder port(int port) {
            this.port = requirePort(port);
            return this;
        }

        /** The KRaft controller port on 127.0.0.1; 0, the default, picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort);
            return this;
        }

        /** Maximum heap of the broker JVM; default 512. */
        public Builder heapMb(int heapMb) {
            if (heapMb < 64) {
                throw new IllegalArgumentException("heapMb must be at least 64: " + heapMb);
            }
            this.heapMb = heapMb;
            return this;
        }

        /** Covers format, launch and readiness; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = requirePositive(startTimeout);
            return this;
        }

        /** How long {@link #close()} waits after SIGTERM before killing; default 20 s. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = requirePositive(shutdownTimeout);
            return this;
        }

        /** Delete the data dir on close; default true for the temp dir, false for a given one. */
        public Builder deleteOnClose(boolean deleteOnClose) {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** Adds or overrides one server.properties entry. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** An extra option for the broker JVM, e.g. {@code -XX:MaxRAM=1g}. */
        public Builder jvmArg(String arg) {
            jvmArgs.add(Objects.requireNonNull(arg));
            return this;
        }

        /**
         * Reuse a cached AppCDS archive of the broker's classes (recorded by the first broker that exits
         * cleanly); default true, also switched off by {@code -Dvoxline.broker.cds=false}.
         */
        public Builder classDataSharing(boolean classDataSharing) {
            this.classDataSharing = classDataSharing;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ: " + port);
            }
            return new EmbeddedKafkaBroker(this);
        }

        private static int requirePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            return port;
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be positive: " + d);
            }
            return d;
        }
    }
}

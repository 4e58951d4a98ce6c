package dev.voxline.loadtest.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Voxline stack run as a child process through the voxline script ({@code voxline up …}), its output copied to a
 * log file and read for the ready banner (the WebSocket URL and the Kafka line). {@link #close()} stops it like
 * Ctrl-C does (SIGTERM, so the launcher closes its services and then its broker) and makes sure nothing it started
 * outlives it.
 */
public final class StackProcess implements AutoCloseable {

    private static final Pattern WEBSOCKET = Pattern.compile("WebSocket\\s+(ws://\\S+)");
    private static final Pattern KAFKA = Pattern.compile("^\\s*Kafka\\s+(\\S+)");
    private static final Pattern READY = Pattern.compile("Voxline is ready in");

    private final Process process;
    private final Path log;
    private final CompletableFuture<Ready> ready = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread shutdownHook;

    /** What the ready banner said: the talk URL and the Kafka bootstrap address (null when it names none). */
    public record Ready(String talkUrl, String bootstrapServers) {
    }

    private StackProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code script up <args>} in {@code workDir}; its output goes to {@code log}. */
    public static StackProcess start(Path script, List<String> args, Path workDir, Path log) throws IOException {
        return start(script, args, workDir, log, Map.of());
    }

    /** As {@link #start(Path, List, Path, Path)}, with these environment variables set (e.g. VOXLINE_JAVA_OPTS). */
    public static StackProcess start(Path script, List<String> args, Path workDir, Path log,
                                     Map<String, String> environment) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(script.toString());
        command.add("up");
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        StackProcess stack = new StackProcess(process, log);
        Thread reader = new Thread(stack::copyOutput, "stack-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> stack.ready.completeExceptionally(new IllegalStateException(
                "voxline up exited (code " + process.exitValue() + ") before it was ready; see " + log + ":\n"
                        + stack.tail())));
        return stack;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /**
     * The services JVM (the script execs it, so usually this process itself; else one of its descendants), read
     * from its command line; null when none is found (not Linux, or not running yet).
     */
    public StackJvm jvm() {
        List<ProcessHandle> candidates = new java.util.ArrayList<>();
        candidates.add(process.toHandle());
        process.descendants().forEach(candidates::add);
        for (ProcessHandle handle : candidates) {
            ProcessHandle.Info info = handle.info();
            if (info.command().isPresent() && info.arguments().isPresent()) {
                StackJvm jvm = StackJvm.parse(info.command().get(), List.of(info.arguments().get()));
                if (jvm != null) {
                    return jvm;
                }
            }
        }
        return null;
    }

    /** The pids of the stack's JVMs: the services' (first) and every java process it started (the broker). */
    public List<Long> javaPids() {
        List<Long> pids = new java.util.ArrayList<>();
        pids.add(process.pid());
        process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .forEach(h -> pids.add(h.pid()));
        return pids;
    }

    /** Waits for the ready banner. */
    public Ready awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("voxline up was not ready within " + timeout.toSeconds() + " s; see "
                    + log + ":\n" + tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for voxline up", e);
        }
    }

    private void copyOutput() {
        String talkUrl = null;
        String kafka = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            boolean banner = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 30) {
                        tail.removeFirst();
                    }
                }
                banner |= READY.matcher(line).find();
                Matcher ws = WEBSOCKET.matcher(line);
                if (banner && ws.find()) {
                    talkUrl = ws.group(1);
                }
                Matcher k = KAFKA.matcher(line);
                if (banner && k.find()) {
                    kafka = k.group(1).startsWith("none") ? null : k.group(1);
                    ready.complete(new Ready(talkUrl, kafka));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** SIGTERM (as Ctrl-C), up to 90 s for a clean stop, then SIGKILL for whatever of it is left. */
    private void stop() {
        List<ProcessHandle> started = process.descendants().toList();
        if (process.isAlive()) {
            // SIGTERM through the handle: Process.destroy() would also close our end of its output, so the log
            // would miss the shutdown (and the launcher would write into a closed pipe)
            process.toHandle().destroy();
            try {
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        for (ProcessHandle child : started) {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> child).join();
            }
        }
    }

    /** Whether the stack or anything it started still runs. */
    public boolean anyAlive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this
        }
    }
}

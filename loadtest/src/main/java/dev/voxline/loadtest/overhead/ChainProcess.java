package dev.voxline.loadtest.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The plain chain in a JVM of its own, started with the stack's java, JVM options and class path (the services'
 * launch jar first, so voice-kafka and kafka-clients are the stack's; then this client's jar for the chain's
 * classes), and driven probe by probe over its stdin/stdout ({@link ChainProbeServer}). Its other output goes to
 * a log file; logging is switched off (SLF4J's no-op provider), as in the client.
 */
public final class ChainProcess implements AutoCloseable {

    private final Process process;
    private final List<String> command;
    private final Writer toChain;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private volatile List<Integer> valueSizes = List.of();

    private ChainProcess(Process process, List<String> command) {
        this.process = process;
        this.command = List.copyOf(command);
        this.toChain = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "chain-answers-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The command line the chain's JVM is started with. */
    public static List<String> command(StackJvm stack, String clientClassPath, String bootstrapServers,
                                       ChainOptions options) {
        List<String> command = new ArrayList<>();
        command.add(stack.java());
        command.addAll(stack.chainOptions());
        command.add("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
        command.add("-cp");
        command.add(stack.launchJar() + java.io.File.pathSeparator + clientClassPath);
        command.add(ChainProbeServer.class.getName());
        command.add(bootstrapServers);
        command.addAll(options.toArgs());
        return command;
    }

    /** Starts the chain's JVM and waits until its chain is open; its stderr goes to {@code log}. */
    public static ChainProcess start(List<String> command, Path log, Duration readyTimeout) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        ChainProcess chain = new ChainProcess(process, command);
        String ready = chain.next(readyTimeout);
        if (ready == null || !ready.startsWith("ready ")) {
            chain.close();
            throw new IllegalStateException("the chain's JVM did not get ready (" + (ready == null ? "no answer"
                    : ready) + "); see " + log);
        }
        chain.valueSizes = Arrays.stream(ready.substring("ready ".length()).split(",")).map(Integer::valueOf)
                .toList();
        return chain;
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(ChainProbeServer.PREFIX)) {
                    answers.add(line.substring(ChainProbeServer.PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // the chain's JVM ended: the next wait for an answer says so
        }
    }

    public long pid() {
        return process.pid();
    }

    public List<String> command() {
        return command;
    }

    public List<Integer> valueSizes() {
        return valueSizes;
    }

    /** One probe through the five hops; its delays in ms, or null when it was lost. */
    public double[] probe() throws IOException {
        toChain.write("probe\n");
        toChain.flush();
        String answer = next(ChainProbeServer.PROBE_TIMEOUT.plusSeconds(5));
        if (answer == null) {
            throw new IllegalStateException("the chain's JVM stopped answering");
        }
        return ChainProbeServer.parse(answer);
    }

    private String next(Duration timeout) {
        try {
            return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stops the chain (it deletes its topics); returns the background frames it carried, -1 if it did not say. */
    public long stop() {
        long background = -1;
        try {
            toChain.write("quit\n");
            toChain.flush();
            String done = next(Duration.ofSeconds(30));
            if (done != null && done.startsWith("done ")) {
                background = Long.parseLong(done.substring("done ".length()).trim());
            }
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // it has gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return background;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

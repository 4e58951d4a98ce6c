package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TurnRunner;
import dev.voxline.loadtest.overhead.StackProcess;
import dev.voxline.loadtest.report.LatencyLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the benchmarks that start their own stacks ({@code bench overhead}, {@code bench tracing}) share: the voxline
 * script they start them through, starting one on a port, one session of spoken turns, and the machine's load.
 */
final class OwnStacks {

    /** The voxline script sets this to its own path. */
    static final String SCRIPT_ENV = "VOXLINE_SCRIPT";

    private OwnStacks() {
    }

    /** The voxline script, or null (said on {@code err}) when the command was not run through it. */
    static Path script(String command, PrintWriter err) {
        String scriptPath = System.getenv(SCRIPT_ENV);
        if (scriptPath == null || !Files.isExecutable(Path.of(scriptPath))) {
            err.println("voxline " + command + ": run it as ./voxline " + command + " (it starts its own stacks "
                    + "through the voxline script; " + SCRIPT_ENV + " is not set)");
            return null;
        }
        return Path.of(scriptPath).toAbsolutePath();
    }

    /** {@code ./voxline up --allow-test-settings --port=<port> --free-ports <extra>}, its output to {@code log}. */
    static StackProcess start(Path script, int port, Path log, PrintWriter out, String what, List<String> extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--allow-test-settings", "--port=" + port, "--free-ports"));
        args.addAll(extra);
        out.printf("starting the %s stack: %s up %s%n", what, script, String.join(" ", args));
        out.flush();
        return StackProcess.start(script, args, script.getParent(), log);
    }

    /** One session of {@code warmup} + {@code turns} turns; one line per 10 turns and every problem. */
    static TurnRunner.Outcome runTurns(URI url, SessionOptions options, TalkRequest request, int warmup, int turns,
                                       PrintWriter out) {
        try {
            int[] count = {0};
            return new TurnRunner(url, options, request.withReplyTimeout(Duration.ofSeconds(30)), warmup, turns,
                    false).run(line -> {
                        count[0]++;
                        if (count[0] % 10 == 0 || !line.contains("e2e")) {
                            out.println(line);
                            out.flush();
                        }
                    }, LatencyLine::format);
        } catch (TalkException e) {
            throw new IllegalStateException("the turns failed: " + e.getMessage(), e);
        }
    }

    /** The first three fields of /proc/loadavg (1, 5, 15 minutes), or null off Linux. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory
        }
    }
}

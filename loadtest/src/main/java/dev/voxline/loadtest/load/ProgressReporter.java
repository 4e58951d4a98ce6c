package dev.voxline.loadtest.load;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows a {@link ProgressLine} while a run goes: on a terminal one line rewritten in place every second, otherwise
 * (a log, CI) a new line every five seconds.
 */
public final class ProgressReporter implements AutoCloseable {

    private final PrintWriter out;
    private final boolean terminal;
    private final Supplier<ProgressLine.State> state;
    private final ScheduledExecutorService timer;
    private int lastLength;

    public ProgressReporter(PrintWriter out, boolean terminal, Supplier<ProgressLine.State> state) {
        this.out = out;
        this.terminal = terminal;
        this.state = state;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "voxline-load-progress");
            thread.setDaemon(true);
            return thread;
        });
        long period = terminal ? 1 : 5;
        timer.scheduleAtFixedRate(this::show, period, period, TimeUnit.SECONDS);
    }

    /** Whether this JVM writes to a terminal (then the line is rewritten in place). */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    private synchronized void show() {
        try {
            String line = ProgressLine.format(state.get());
            if (terminal) {
                int pad = Math.max(0, lastLength - line.length());
                out.print("\r" + line + " ".repeat(pad));
                lastLength = line.length();
            } else {
                out.println(line);
            }
            out.flush();
        } catch (RuntimeException e) {
            // a progress line is not worth failing a run for
        }
    }

    /** Prints a message on its own line (not into the progress line). */
    public synchronized void println(String message) {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(message);
        out.flush();
    }

    /** Shows the final state and ends the line. */
    @Override
    public void close() {
        timer.shutdownNow();
        show();
        synchronized (this) {
            if (terminal) {
                out.println();
                out.flush();
            }
        }
    }
}

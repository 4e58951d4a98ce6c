package dev.voxline.loadtest.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout} and {@code --metrics-wait}: how long a client waits on a turn, one default each. */
final class TurnWaitOptions {

    static final String DEFAULT_TIMEOUT = "30s";
    /** metrics-service reports an incomplete turn after 10 s: a little more than that. */
    static final String DEFAULT_METRICS_WAIT = "12s";

    @Option(names = "--timeout", defaultValue = DEFAULT_TIMEOUT, converter = Durations.class, paramLabel = "DURATION",
            description = "per turn: how long to wait for the reply after the input was sent; the reply's audio "
                    + "plays in real time within it (default: ${DEFAULT-VALUE})")
    private Duration timeout;

    @Option(names = "--metrics-wait", defaultValue = DEFAULT_METRICS_WAIT, converter = Durations.class,
            paramLabel = "DURATION", description = "how long to wait for turn.metrics after a turn's audio is done "
                    + "(default: ${DEFAULT-VALUE}; metrics-service reports an incomplete turn after 10 s)")
    private Duration metricsWait;

    Duration timeout() {
        return timeout;
    }

    Duration metricsWait() {
        return metricsWait;
    }
}

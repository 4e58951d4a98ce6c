package dev.voxline.loadtest.overhead;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of the plain chain that can be changed to attack the floor, each defaulting to what the pipeline
 * uses: the producers' {@code linger.ms} (voxline.kafka.linger-ms, 0), the consumers' {@code fetch.max.wait.ms}
 * (null: the client's default, as the pipeline leaves it) and the partitions of every chain topic (the pipeline's
 * 12, so a stage consumer holds 24: its input topic and the control topic). Passed to the chain's JVM as arguments.
 */
public record ChainOptions(int lingerMs, Integer fetchMaxWaitMs, int partitions) {

    public static final int PIPELINE_PARTITIONS = 12;

    public ChainOptions {
        if (lingerMs < 0) {
            throw new IllegalArgumentException("--linger-ms must not be negative");
        }
        if (fetchMaxWaitMs != null && fetchMaxWaitMs < 0) {
            throw new IllegalArgumentException("--fetch-max-wait-ms must not be negative");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be ≥ 1");
        }
    }

    public static ChainOptions pipeline() {
        return new ChainOptions(0, null, PIPELINE_PARTITIONS);
    }

    /** As command-line arguments of {@link ChainProbeServer}. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        args.add("--linger-ms=" + lingerMs);
        if (fetchMaxWaitMs != null) {
            args.add("--fetch-max-wait-ms=" + fetchMaxWaitMs);
        }
        args.add("--partitions=" + partitions);
        return args;
    }

    /** The inverse of {@link #toArgs}; unknown arguments are refused. */
    public static ChainOptions parse(List<String> args) {
        int linger = 0;
        Integer fetchMaxWait = null;
        int partitions = PIPELINE_PARTITIONS;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (name) {
                case "--linger-ms" -> linger = Integer.parseInt(value);
                case "--fetch-max-wait-ms" -> fetchMaxWait = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown chain option " + arg);
            }
        }
        return new ChainOptions(linger, fetchMaxWait, partitions);
    }

    public String describe() {
        return String.format(Locale.ROOT, "linger.ms %d, fetch.max.wait.ms %s, %d partitions per topic", lingerMs,
                fetchMaxWaitMs == null ? "default (500)" : fetchMaxWaitMs.toString(), partitions);
    }
}

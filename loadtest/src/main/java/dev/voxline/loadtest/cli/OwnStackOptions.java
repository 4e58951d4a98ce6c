package dev.voxline.loadtest.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the benchmarks that start their own stacks ({@code bench overhead}, {@code bench tracing}). */
final class OwnStackOptions {

    @Option(names = "--port", defaultValue = "18080", description = "the gateway port of the stacks it starts "
            + "(the other services take free ports; default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--out", defaultValue = ReportDirOption.DEFAULT_DIR, paramLabel = "DIR", description = "where "
            + "the report goes (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--ready-timeout", defaultValue = "10m", converter = Durations.class, description = "how long "
            + "to wait for a stack to be ready, a build included (default: ${DEFAULT-VALUE})")
    Duration readyTimeout;
}

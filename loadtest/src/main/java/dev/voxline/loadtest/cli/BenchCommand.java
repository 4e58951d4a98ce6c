package dev.voxline.loadtest.cli;

import picocli.CommandLine.Command;

/** {@code ./voxline bench <benchmark>}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Latency benchmarks against a running Voxline.",
        subcommands = {ClockBenchCommand.class, LatencyBenchCommand.class, OverheadBenchCommand.class,
                LoadBenchCommand.class, CapacityBenchCommand.class, ConversationBenchCommand.class,
                TracingBenchCommand.class, AlertsBenchCommand.class, StartupBenchCommand.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: clock");
    }
}

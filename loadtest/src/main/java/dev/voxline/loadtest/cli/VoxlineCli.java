package dev.voxline.loadtest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./voxline talk …} and {@code ./voxline bench …}: the client side of the voxline script. */
@Command(name = "voxline", mixinStandardHelpOptions = true, version = "voxline client",
        description = "Voxline clients: talk to a running gateway, measure its latency.",
        subcommands = {TalkCommand.class, BenchCommand.class})
public final class VoxlineCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new VoxlineCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}

package dev.voxline.loadtest.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --profile}: the VAD profile the sessions ask for; a name the server does not have is a bad command line. */
final class VadProfileOption {

    static final List<String> PROFILES = List.of("low-latency", "high-accuracy");
    static final String DEFAULT_PROFILE = "low-latency";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private String profile;

    @Option(names = "--profile", defaultValue = DEFAULT_PROFILE, paramLabel = "low-latency|high-accuracy",
            description = "the VAD profile (default: ${DEFAULT-VALUE})")
    void profile(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new CommandLine.ParameterException(mixee.commandLine(), problem);
        }
        profile = name;
    }

    String profile() {
        return profile;
    }

    /** Why {@code name} is not a profile, or null. */
    static String problem(String name) {
        return PROFILES.contains(name) ? null
                : "--profile must be one of " + String.join(", ", PROFILES) + ", was '" + name + "'";
    }
}

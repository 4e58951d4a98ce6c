package dev.voxline.loadtest.overhead;

import java.util.ArrayList;
import java.util.List;

/**
 * The stack's services JVM as its command line shows it: the java executable, the JVM options before
 * {@code -jar}, and the launch jar. {@link #chainOptions} are the options the plain chain's JVM gets, so the floor
 * is measured under the same collector, heap limits, stack size and extra options as the pipeline.
 */
public record StackJvm(String java, List<String> options, String launchJar) {

    public StackJvm {
        options = List.copyOf(options);
    }

    /**
     * Reads a services JVM's executable and arguments ({@code ProcessHandle.Info}); null when they do not run a jar
     * of voxline-local.
     */
    public static StackJvm parse(String command, List<String> arguments) {
        int jar = arguments.indexOf("-jar");
        if (command == null || jar < 0 || jar + 1 >= arguments.size()
                || !arguments.get(jar + 1).contains("voxline-local")) {
            return null;
        }
        return new StackJvm(command, arguments.subList(0, jar), arguments.get(jar + 1));
    }

    /**
     * The stack's JVM options without those that only concern the stack's own start-up or children: class data
     * sharing (an archive of the launcher's classes, which another JVM must not write or read) and the broker's
     * options.
     */
    public List<String> chainOptions() {
        List<String> kept = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-XX:ArchiveClassesAtExit=")
                    || option.equals("-XX:+AutoCreateSharedArchive") || option.startsWith("-Xshare:")
                    || option.startsWith("-Dvoxline.broker.jvm-options=")) {
                continue;
            }
            kept.add(option);
        }
        return kept;
    }
}

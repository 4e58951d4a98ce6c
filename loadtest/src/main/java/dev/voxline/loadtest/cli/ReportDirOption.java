package dev.voxline.loadtest.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out DIR}: where a benchmark writes its report (JSON + HTML). */
final class ReportDirOption {

    static final String DEFAULT_DIR = "bench-results";

    @Option(names = "--out", defaultValue = DEFAULT_DIR, paramLabel = "DIR", description = "where the report "
            + "(JSON + HTML) goes (default: ${DEFAULT-VALUE})")
    private Path dir;

    Path dir() {
        return dir;
    }
}

package dev.voxline.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory from /proc (Linux); 0 where it cannot be read. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** This JVM plus every process it started (the broker). */
    static long totalRssBytes() {
        return rssBytes(ProcessHandle.current().pid())
                + ProcessHandle.current().descendants().mapToLong(p -> rssBytes(p.pid())).sum();
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process just ended
        }
        return 0;
    }

    static String mb(long bytes) {
        return (bytes + (1 << 19)) / (1 << 20) + " MB";
    }
}

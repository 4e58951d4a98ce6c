package dev.voxline.loadtest.load;

import java.util.Locale;

/**
 * Parsing of Linux {@code /proc/<pid>/stat}, {@code /proc/<pid>/status} and {@code /proc/<pid>/cmdline} text (see
 * proc(5)), and which processes belong to the Voxline suite. Pure: the sampler feeds it what it read.
 */
public final class ProcStat {

    /** The CPU time a process has used so far, in clock ticks ({@code getconf CLK_TCK}, 100 on Linux). */
    public record CpuTicks(int pid, String comm, int ppid, long utime, long stime) {

        public long total() {
            return utime + stime;
        }
    }

    private ProcStat() {
    }

    /**
     * Fields 14 and 15 (utime, stime) of a stat line. The command name (field 2) is in parentheses and may itself
     * hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static CpuTicks parseStat(String stat) {
        String line = stat.strip();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(line));
        }
        int pid = Integer.parseInt(line.substring(0, open).trim());
        String comm = line.substring(open + 1, close);
        String[] rest = line.substring(close + 1).trim().split("\\s+");
        // rest[0] is field 3 (state): field n is rest[n - 3]
        if (rest.length < 13) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with too few fields: " + abbreviate(line));
        }
        return new CpuTicks(pid, comm, Integer.parseInt(rest[1]), Long.parseLong(rest[11]),
                Long.parseLong(rest[12]));
    }

    /** The resident set size in kB from {@code /proc/<pid>/status} ({@code VmRSS:  123456 kB}); -1 if absent. */
    public static long parseRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String value = line.substring("VmRSS:".length()).trim();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        return -1; // kernel threads and zombies have no VmRSS
    }

    /**
     * The socket inodes listening on TCP {@code port} in {@code /proc/net/tcp} or {@code tcp6} text (state 0A is
     * LISTEN; the local address ends in the port in hex).
     */
    public static java.util.Set<Long> listeningInodes(String procNetTcp, int port) {
        java.util.Set<Long> inodes = new java.util.HashSet<>();
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        for (String line : procNetTcp.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[1].toUpperCase(Locale.ROOT).endsWith(suffix) && "0A".equals(f[3])) {
                inodes.add(Long.parseLong(f[9]));
            }
        }
        return inodes;
    }

    /** {@code /proc/<pid>/cmdline}: arguments separated (and ended) by NUL bytes. */
    public static String commandLine(byte[] cmdline) {
        return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
    }

    /**
     * Which part of the Voxline suite a command line is, or null: the stack ({@code voxline-local}, every service
     * in one JVM) or the embedded Kafka broker ({@code EmbeddedKafkaMain}). Build tools and one-off jar tools that
     * mention those names are not the suite.
     */
    public static String suiteRole(String commandLine) {
        if (commandLine == null || commandLine.isEmpty()) {
            return null;
        }
        String executable = commandLine.split(" ", 2)[0];
        if (!executable.endsWith("java")) {
            return null;
        }
        if (commandLine.contains("org.codehaus.plexus.classworlds") || commandLine.contains("-Djarmode=")) {
            return null; // Maven itself, the Spring Boot jar extractor
        }
        // the embedded broker child JVM runs kafka.Kafka with the marker property -Dvoxline.embedded.kafka=DIR
        if (commandLine.contains("EmbeddedKafkaMain") || commandLine.contains("-Dvoxline.embedded.kafka=")) {
            return "embedded-kafka";
        }
        if (commandLine.contains("voxline-local")) {
            return "voxline-local";
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    static String label(String role, int pid) {
        return String.format(Locale.ROOT, "%s (pid %d)", role, pid);
    }
}

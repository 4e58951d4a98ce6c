package dev.voxline.loadtest.overhead;

import dev.voxline.loadtest.load.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used over a stretch of a benchmark: the whole machine's busy share (from {@code /proc/stat}) and the cores
 * each named process used (utime + stime from {@code /proc/<pid>/stat} over wall time). Linux only; elsewhere
 * every figure is NaN.
 */
public final class CpuWindow {

    /** {@code busy} of the machine's {@code cpus} (0..1) and cores per process over {@code seconds}. */
    public record Usage(double seconds, int cpus, double busy, Map<String, Double> cores) {
    }

    private static final Path PROC = Path.of("/proc");
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Long> pids;
    private final long startNanos;
    private final long[] machineStart;
    private final Map<String, Long> ticksStart = new LinkedHashMap<>();

    private CpuWindow(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.startNanos = System.nanoTime();
        this.machineStart = machine();
        pids.forEach((name, pid) -> ticksStart.put(name, ticks(pid)));
    }

    /** Starts counting for these processes (name → pid). */
    public static CpuWindow start(Map<String, Long> pids) {
        return new CpuWindow(pids);
    }

    public Usage finish() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] machineEnd = machine();
        double busy = Double.NaN;
        if (machineStart != null && machineEnd != null) {
            busy = busyShare(machineStart, machineEnd);
        }
        Map<String, Double> cores = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Long before = ticksStart.get(name);
            Long after = ticks(pid);
            cores.put(name, before == null || after == null ? Double.NaN
                    : (after - before) / TICKS_PER_SECOND / seconds);
        });
        return new Usage(seconds, Runtime.getRuntime().availableProcessors(), busy, cores);
    }

    /** {@code {busy, total}} jiffies of the {@code cpu} line of {@code /proc/stat} (idle and iowait are not busy). */
    static long[] parseMachine(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long total = 0;
                long idle = 0;
                // user nice system idle iowait irq softirq steal (guest time is already in user)
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i == 4 || i == 5) {
                        idle += v;
                    }
                }
                return new long[] {total - idle, total};
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    static double busyShare(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (after[0] - before[0]) / (double) total;
    }

    private static long[] machine() {
        try {
            return parseMachine(Files.readString(PROC.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Long ticks(long pid) {
        try {
            return ProcStat.parseStat(Files.readString(PROC.resolve(pid + "/stat"))).total();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

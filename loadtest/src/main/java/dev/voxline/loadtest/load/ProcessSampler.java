package dev.voxline.loadtest.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples CPU and memory of every process of the suite once a second from {@code /proc}: the Voxline stack, the
 * embedded broker and the load generator itself. When the gateway is on this machine, the suite is the process
 * listening on the gateway's port and its child processes of the suite (so another stack running on the same
 * machine is not counted); otherwise every process whose command line says it is the suite
 * ({@link ProcStat#suiteRole}). CPU is
 * the utime + stime a process used between two samples divided by the wall time between them, in cores (1.0 = one
 * core busy); memory is VmRSS. Without /proc (not Linux) it samples nothing.
 */
public final class ProcessSampler implements AutoCloseable {

    /** The load generator's own role name. */
    public static final String SELF = "loadtest";
    /** The load generator's JVM when it also serves the gateway (a test that starts the stack in-process). */
    public static final String SELF_AND_STACK = "loadtest+stack";

    /** One process at one instant. */
    public record Sample(long nanos, int pid, String role, double cores, double rssMb) {
    }

    /** One process over a window: mean and peak CPU (cores) and RSS (MB). */
    public record ProcessUsage(String role, int pid, int samples, double meanCores, double maxCores,
                               double meanRssMb, double maxRssMb) {

        public String label() {
            return ProcStat.label(role, pid);
        }

        public boolean suite() {
            return !SELF.equals(role);
        }
    }

    private final Path proc;
    private final long ticksPerSecond;
    private final int selfPid = (int) ProcessHandle.current().pid();
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Integer, long[]> last = new HashMap<>(); // pid → {ticks, nanos}
    private final Map<Integer, String> roles = new HashMap<>();
    private final Map<Integer, Integer> parents = new HashMap<>();
    private final int gatewayPort;
    private Integer gatewayPid;
    private ScheduledExecutorService timer;

    /** Every suite process on this machine. */
    public ProcessSampler() {
        this(Path.of("/proc"), 100, 0);
    }

    /** The suite whose gateway serves {@code url}, if that is on this machine; else as {@link #ProcessSampler()}. */
    public static ProcessSampler forGateway(java.net.URI url) {
        String host = url.getHost();
        boolean local = host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]"));
        int port = url.getPort() > 0 ? url.getPort() : "wss".equals(url.getScheme()) ? 443 : 80;
        return new ProcessSampler(Path.of("/proc"), 100, local ? port : 0);
    }

    ProcessSampler(Path proc, long ticksPerSecond, int gatewayPort) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
        this.gatewayPort = gatewayPort;
    }

    /** The pid serving the gateway's port, once found; null if not (yet) found or not looked for. */
    public synchronized Integer gatewayPid() {
        return gatewayPid;
    }

    public boolean available() {
        return Files.isDirectory(proc.resolve("self"));
    }

    /** Samples now and then every second until closed. */
    public ProcessSampler start() {
        if (!available()) {
            return this;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "voxline-process-sampler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sampleQuietly, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    private void sampleQuietly() {
        try {
            sample(System.nanoTime());
        } catch (RuntimeException e) {
            // a process that vanished mid-read, an unreadable entry: the next tick tries again
        }
    }

    /** Takes one sample of every suite process (the first sample of a process only sets its CPU baseline). */
    synchronized void sample(long nanos) {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                pids.add(Integer.parseInt(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            return;
        }
        if (gatewayPort > 0 && gatewayPid == null) {
            gatewayPid = listener(pids);
        }
        Map<Integer, String> found = new LinkedHashMap<>();
        found.put(selfPid, gatewayPid != null && gatewayPid == selfPid ? SELF_AND_STACK : SELF);
        for (int pid : pids) {
            if (pid == selfPid) {
                continue;
            }
            String role = role(pid);
            if (gatewayPid == null) {
                if (!role.isEmpty()) {
                    found.put(pid, role);
                }
            } else if (pid == gatewayPid) {
                found.put(pid, role.isEmpty() ? "gateway" : role);
            } else if (!role.isEmpty() && descendsFrom(pid, gatewayPid)) {
                found.put(pid, role);
            }
        }
        for (Map.Entry<Integer, String> e : found.entrySet()) {
            Path dir = proc.resolve(String.valueOf(e.getKey()));
            try {
                ProcStat.CpuTicks ticks = ProcStat.parseStat(Files.readString(dir.resolve("stat")));
                long rssKb = ProcStat.parseRssKb(Files.readString(dir.resolve("status")));
                long[] previous = last.put(e.getKey(), new long[] {ticks.total(), nanos});
                if (previous != null && nanos > previous[1]) {
                    double cpuSeconds = (ticks.total() - previous[0]) / (double) ticksPerSecond;
                    double wallSeconds = (nanos - previous[1]) / 1e9;
                    samples.add(new Sample(nanos, e.getKey(), e.getValue(), cpuSeconds / wallSeconds,
                            rssKb / 1024.0));
                }
            } catch (IOException | RuntimeException ex) {
                last.remove(e.getKey());
            }
        }
    }

    private String role(int pid) {
        String role = roles.get(pid);
        if (role == null) {
            try {
                role = ProcStat.suiteRole(ProcStat.commandLine(Files.readAllBytes(proc.resolve(pid + "/cmdline"))));
            } catch (IOException e) {
                role = null;
            }
            role = role != null ? role : "";
            roles.put(pid, role);
        }
        return role;
    }

    private boolean descendsFrom(int pid, int ancestor) {
        int current = pid;
        for (int depth = 0; depth < 32 && current > 1; depth++) {
            Integer parent = parents.get(current);
            if (parent == null) {
                try {
                    parent = ProcStat.parseStat(Files.readString(proc.resolve(current + "/stat"))).ppid();
                } catch (IOException | RuntimeException e) {
                    return false;
                }
                parents.put(current, parent);
            }
            if (parent == ancestor) {
                return true;
            }
            current = parent;
        }
        return false;
    }

    /** The process holding a socket that listens on the gateway's port, or null. */
    private Integer listener(List<Integer> pids) {
        java.util.Set<Long> inodes = new java.util.HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                inodes.addAll(ProcStat.listeningInodes(Files.readString(proc.resolve(table)), gatewayPort));
            } catch (IOException | RuntimeException e) {
                // no IPv6 table, or not readable
            }
        }
        if (inodes.isEmpty()) {
            return null;
        }
        for (int pid : pids) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException | UnsupportedOperationException e) {
                        continue;
                    }
                    if (target.startsWith("socket:[") && inodes.contains(Long.parseLong(
                            target.substring(8, target.length() - 1)))) {
                        return pid;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a process we may not look into, or one that ended
            }
        }
        return null;
    }

    /** Per process, the samples taken in {@code [fromNanos, toNanos)}; processes in the order first seen. */
    public synchronized List<ProcessUsage> usage(long fromNanos, long toNanos) {
        Map<Integer, List<Sample>> byPid = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.nanos() >= fromNanos && s.nanos() < toNanos) {
                byPid.computeIfAbsent(s.pid(), pid -> new ArrayList<>()).add(s);
            }
        }
        List<ProcessUsage> usage = new ArrayList<>();
        for (List<Sample> list : byPid.values()) {
            usage.add(summarize(list));
        }
        return usage;
    }

    public List<ProcessUsage> usage() {
        return usage(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static ProcessUsage summarize(List<Sample> list) {
        double cores = 0;
        double maxCores = 0;
        double rss = 0;
        double maxRss = 0;
        for (Sample s : list) {
            cores += s.cores();
            maxCores = Math.max(maxCores, s.cores());
            rss += s.rssMb();
            maxRss = Math.max(maxRss, s.rssMb());
        }
        Sample first = list.get(0);
        return new ProcessUsage(first.role(), first.pid(), list.size(), cores / list.size(), maxCores,
                rss / list.size(), maxRss);
    }

    /** The suite's processes (not the load generator) added up: mean cores and mean RSS MB. */
    public static double[] suiteTotals(List<ProcessUsage> usage) {
        double cores = 0;
        double rss = 0;
        for (ProcessUsage u : usage) {
            if (u.suite()) {
                cores += u.meanCores();
                rss += u.meanRssMb();
            }
        }
        return new double[] {cores, rss};
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}

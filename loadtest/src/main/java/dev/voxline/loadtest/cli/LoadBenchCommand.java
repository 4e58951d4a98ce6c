package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.load.LoadRun;
import dev.voxline.loadtest.load.LoadSettings;
import dev.voxline.loadtest.load.LoadSummary;
import dev.voxline.loadtest.load.ProgressReporter;
import dev.voxline.loadtest.report.BenchReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./voxline bench load}: N simulated callers holding conversations at once (LiveKit's
 * {@code test_concurrent_users}).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"N simulated callers at once, each holding a conversation on /v1/talk: it says a phrase at "
                + "real-time pace, waits for the reply, listens to it at real time, pauses, and speaks again. "
                + "Sessions start evenly over --ramp; the run lasts --duration. Prints progress, then per metric "
                + "n/p50/p95/p99/mean, turns, errors, dropped sessions, reply audio underruns, and CPU/RSS per "
                + "process and per session; writes a JSON and an HTML report.",
                "Simulated timings (realistic, zero, known) need the gateway started with "
                        + "./voxline up --allow-test-settings."})
public final class LoadBenchCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "10", description = "concurrent callers (default: "
            + "${DEFAULT-VALUE})")
    private int sessions;

    @Option(names = "--ramp", defaultValue = "10s", converter = Durations.class, description = "start the sessions "
            + "evenly over this time (default: ${DEFAULT-VALUE})")
    private Duration ramp;

    @Option(names = "--duration", defaultValue = "60s", converter = Durations.class, description = "the whole run, "
            + "ramp included (default: ${DEFAULT-VALUE})")
    private Duration duration;

    @Mixin
    private LoadOptions load;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadRun.Plan plan;
        try {
            plan = new LoadRun.Plan(sessions, ramp, duration, load.drain);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadSettings settings;
        try {
            settings = load.settings();
        } catch (UnreadableAudioException e) {
            err.println("voxline bench: " + e.getMessage());
            return 1;
        }
        boolean terminal = ProgressReporter.onTerminal();
        return run(settings, plan, out, terminal);
    }

    private int run(LoadSettings settings, LoadRun.Plan plan, PrintWriter out, boolean terminal) {
        String title = String.format(Locale.ROOT, "%d sessions, ramp %s, %s, %s", plan.sessions(),
                seconds(plan.ramp()), seconds(plan.duration()), load.engines());
        out.printf(Locale.ROOT, "load: %s against %s (%d utterances from %s, think %s, jitter buffer %d ms)%n", title,
                load.url, settings.utterances().size(), load.utteranceSource(), seconds(load.think),
                load.jitterBuffer.toMillis());
        out.flush();
        BenchReport report = load.describeIn(BenchReport.create("load", title)
                .setting("sessions", plan.sessions())
                .setting("ramp s", plan.ramp().toMillis() / 1000.0)
                .setting("duration s", plan.duration().toMillis() / 1000.0))
                .setting("utterances", load.utteranceSource());
        LoadRun.Result result = LoadRun.run(settings, plan, state -> new ProgressReporter(out, terminal, state));
        out.println();
        out.print(LoadSummary.table(result.window(), result.usage(), plan.sessions()));
        LoadSummary.addTo(report, result.window(), result.usage(), plan.sessions());
        BenchReport.Written files = report.finished().write(load.out);
        out.println();
        out.println("report: " + files.json() + " and " + files.html());
        result.window().incidentMessages().entrySet().stream().limit(5).forEach(e ->
                out.println("  " + e.getValue() + "× " + e.getKey()));
        out.flush();
        boolean clean = result.window().turnCount() > 0 && result.window().errors() == 0
                && result.window().droppedSessions() == 0;
        return clean ? 0 : 1;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s",
                d.toMillis() / 1000.0);
    }
}

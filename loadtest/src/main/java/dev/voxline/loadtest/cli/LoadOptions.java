package dev.voxline.loadtest.cli;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.audio.WavReader;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.load.LoadSettings;
import dev.voxline.loadtest.report.BenchReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code bench load} and {@code bench capacity} share: where, which engines, what callers say.
 * {@code --url}, {@code --timeout}, {@code --metrics-wait} and {@code --out} are declared here rather than through
 * {@link GatewayOption}, {@link TurnWaitOptions} and {@link ReportDirOption} because {@code bench capacity} reads
 * them as these fields; their defaults are those mixins' own.
 */
final class LoadOptions {

    @Option(names = "--url", defaultValue = GatewayOption.DEFAULT_URL, description = "the gateway (default: "
            + "${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--timings", defaultValue = "realistic", converter = TimingsConverter.class,
            description = "simulated-engine timings: realistic (STT 120 ms, TTFT 300 ms at 40 tokens/s, TTS TTFB "
                    + "100 ms), zero, known, or default (the server's engines as configured) (default: "
                    + "${DEFAULT-VALUE})")
    Timings timings;

    @Option(names = "--vad", paramLabel = "ENGINE", description = "a real VAD engine (e.g. silero) with every other "
            + "stage simulated")
    String vad;

    @Option(names = "--wav", paramLabel = "FILE.wav", description = "every caller says this (default: the shipped "
            + "phrase set, audio/phrases, else the shipped bench phrase)")
    Path wav;

    @Option(names = "--phrases", paramLabel = "DIR", description = "callers say these phrases in turn (DIR holds "
            + "phrases.tsv and its WAV files)")
    Path phrases;

    @Option(names = "--think", defaultValue = "1s", converter = Durations.class, description = "pause after hearing "
            + "a reply before speaking again, jittered ±50 %% (default: ${DEFAULT-VALUE})")
    Duration think;

    @Option(names = "--jitter-buffer", defaultValue = "100ms", converter = Durations.class, description = "reply "
            + "playback starts this long after the first reply frame; a frame not there when due is an underrun "
            + "(default: ${DEFAULT-VALUE})")
    Duration jitterBuffer;

    @Option(names = "--timeout", defaultValue = TurnWaitOptions.DEFAULT_TIMEOUT, converter = Durations.class,
            description = "per turn: how long to wait for the reply after the caller stopped talking (default: "
                    + "${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--metrics-wait", defaultValue = TurnWaitOptions.DEFAULT_METRICS_WAIT,
            converter = Durations.class, description = "how long to wait for turn.metrics after a reply's audio is "
            + "done (default: ${DEFAULT-VALUE})")
    Duration metricsWait;

    @Option(names = "--drain", defaultValue = "15s", converter = Durations.class, description = "at the end, how long "
            + "turns in progress may take to finish before the sessions close (default: ${DEFAULT-VALUE})")
    Duration drain;

    @Option(names = "--out", defaultValue = ReportDirOption.DEFAULT_DIR, paramLabel = "DIR",
            description = "where the JSON and HTML reports go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the think-time jitter (default: "
            + "${DEFAULT-VALUE})")
    long seed;

    SessionOptions sessionOptions() {
        SessionOptions options = SessionOptions.defaults();
        if (timings != Timings.DEFAULT) {
            options = options.withTimings(timings);
        }
        if (vad != null && !vad.isBlank()) {
            options = options.withEngines(new SessionConfig.Engines(vad.trim(), SessionConfig.Engines.SIMULATED,
                    SessionConfig.Engines.SIMULATED, SessionConfig.Engines.SIMULATED));
        }
        return options;
    }

    List<SpeechAudio> utterances() throws UnreadableAudioException {
        if (wav != null) {
            return List.of(WavReader.read(wav));
        }
        if (phrases != null) {
            return PhraseSet.directory(phrases).phrases().stream().map(PhraseSet.Phrase::audio).toList();
        }
        try {
            return PhraseSet.shipped().phrases().stream().map(PhraseSet.Phrase::audio).toList();
        } catch (UnreadableAudioException | RuntimeException e) {
            return List.of(ClockBenchCommand.shippedPhrase());
        }
    }

    String utteranceSource() {
        return wav != null ? wav.toString() : phrases != null ? phrases.toString() : "shipped phrases";
    }

    String engines() {
        String stages = vad != null ? "vad=" + vad + ", other stages simulated" : timings == Timings.DEFAULT
                ? "the server's engines" : "simulated engines";
        return stages + ", timings " + timings.label();
    }

    /** The options every load benchmark records in its report. */
    BenchReport describeIn(BenchReport report) {
        return report.setting("timings", timings.label())
                .setting("engines", engines())
                .setting("url", url.toString())
                .setting("think s", think.toMillis() / 1000.0)
                .setting("jitter buffer ms", jitterBuffer.toMillis());
    }

    LoadSettings settings() throws UnreadableAudioException {
        return new LoadSettings(url, sessionOptions(), utterances(), think, jitterBuffer, timeout, metricsWait, seed);
    }
}

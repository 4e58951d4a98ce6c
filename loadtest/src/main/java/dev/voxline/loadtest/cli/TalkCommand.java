package dev.voxline.loadtest.cli;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.audio.WavReader;
import dev.voxline.loadtest.audio.WavWriter;
import dev.voxline.loadtest.client.SessionOptions;
import dev.voxline.loadtest.client.TalkException;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TalkSession;
import dev.voxline.loadtest.client.Timings;
import dev.voxline.loadtest.client.TurnResult;
import dev.voxline.loadtest.report.LatencyLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./voxline talk some.wav} / {@code ./voxline talk --text "…"}. */
@Command(name = "talk", mixinStandardHelpOptions = true,
        description = {"Talk to a running Voxline: stream a WAV file in real time (any PCM or float WAV; converted to "
                + "16 kHz mono) or send typed text, print the transcript, the reply and each turn's latency "
                + "(client-side E2E next to the server's turn.metrics), and write the reply audio to a WAV file."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the turn(s) finished with reply audio", "1:failure (no gateway, unreadable file, server "
                + "error, timeout, no reply audio)", "2:bad command line"})
public final class TalkCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE.wav", description = "the audio to say")
    private Path wav;

    @Option(names = "--text", paramLabel = "TEXT", description = "typed input instead of audio")
    private String text;

    @Mixin
    private GatewayOption gateway;

    @Option(names = "--out", defaultValue = "reply.wav", description = "where to write the reply audio (default: "
            + "${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--speed", defaultValue = "1.0", description = "stream faster (2.0) or slower (0.5) than real "
            + "time (default: ${DEFAULT-VALUE})")
    private double speed;

    @Option(names = "--timings", defaultValue = "default", converter = TimingsConverter.class,
            description = "simulated-engine timings: zero, known (STT 120 ms, TTFT 300 ms, TTFB 100 ms) or default "
                    + "(the server's); zero/known need ./voxline up --allow-test-settings")
    private Timings timings;

    @Mixin
    private TurnWaitOptions waits;

    @Option(names = {"-v", "--verbose"}, description = "print every event as it arrives")
    private boolean verbose;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((wav == null) == (text == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either a WAV file or --text \"…\"");
        }
        if (text != null && text.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--text must not be blank");
        }
        if (!(speed > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be positive");
        }
        TalkRequest request;
        String input;
        try {
            if (wav != null) {
                SpeechAudio audio = WavReader.read(wav);
                request = TalkRequest.audio(audio).withSpeed(speed);
                input = String.format(Locale.ROOT, "streaming %s → 16 kHz mono, %.1f s%s", audio.source(),
                        audio.durationMs() / 1000.0, speed == 1.0 ? " in real time" : " at " + speed + "× real time");
            } else {
                request = TalkRequest.text(text);
                input = "sending text.input";
            }
        } catch (UnreadableAudioException e) {
            err.println("voxline talk: " + e.getMessage());
            return 1;
        }
        request = request.withReplyTimeout(waits.timeout()).withMetricsWait(waits.metricsWait());
        SessionOptions options = SessionOptions.defaults().withTimings(timings);
        URI url = gateway.url();
        try (TalkSession session = TalkSession.connect(url, options)) {
            out.println("session " + session.sessionId() + " on " + url
                    + (timings == Timings.DEFAULT ? "" : " (timings " + timings.label() + ")"));
            out.println(input);
            out.flush();
            if (verbose) {
                long t0 = System.nanoTime();
                session.onEvent(received -> {
                    synchronized (out) {
                        out.printf(Locale.ROOT, "  %+8.1f ms  ← %s%n", (received.nanos() - t0) / 1e6,
                                JsonCodec.get().encodeToString(received.event()));
                        out.flush();
                    }
                });
            }
            TalkResult result = session.run(request);
            session.onEvent(null);
            return report(result, out, err);
        } catch (TalkException e) {
            err.println("voxline talk: " + e.getMessage());
            return 1;
        }
    }

    private int report(TalkResult result, PrintWriter out, PrintWriter err) {
        for (TurnResult turn : result.turns()) {
            out.println();
            out.println((turn.typed() ? "you (typed): " : "you:   ") + orDash(turn.transcript()));
            out.println("agent: " + orDash(turn.replyText()));
            out.println(LatencyLine.format(turn));
        }
        out.println();
        for (VoiceEvent.Error error : result.errors()) {
            err.println("server error " + error.code() + ": " + error.message()
                    + (error.turnId() != null ? " (" + error.turnId() + ")" : ""));
        }
        if (result.problem() != null) {
            err.println("voxline talk: " + result.problem());
        }
        byte[] audio = result.replyAudio();
        int rate = result.replySampleRate();
        if (audio.length == 0 || rate == 0) {
            err.println("voxline talk: no reply audio received");
            out.flush();
            err.flush();
            return 1;
        }
        try {
            WavWriter.writePcm16Mono(this.out, audio, rate);
            out.printf(Locale.ROOT, "reply audio: %s (%.1f s, %d Hz mono)%n", this.out, audio.length / 2.0 / rate,
                    rate);
        } catch (IOException e) {
            err.println("voxline talk: cannot write " + this.out + ": " + e.getMessage());
            return 1;
        }
        out.flush();
        err.flush();
        return result.ok() ? 0 : 1;
    }

    private static String orDash(String text) {
        return text == null || text.isBlank() ? "–" : text;
    }
}

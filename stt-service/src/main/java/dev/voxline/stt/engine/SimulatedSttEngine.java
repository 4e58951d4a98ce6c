package dev.voxline.stt.engine;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The simulated recogniser. It cannot recognise words, so it says what it heard honestly — "[simulated
 * transcript of 1.2 s of speech]" — unless the session scripts a transcript. Interim results come per
 * {@code interimEveryMs} of audio (a growing prefix of the scripted words, one word per {@code msPerWord}); the
 * final result comes {@code finalDelayMs} after the audio ends. Fault {@code stt.fail}: the final result is an
 * error instead.
 */
public final class SimulatedSttEngine implements SttEngine {

    public static final String FAULT = "stt.fail";

    private final int finalDelayMs;
    private final int interimEveryMs;
    private final int msPerWord;
    private final Scheduler timer;

    public SimulatedSttEngine(int finalDelayMs, int interimEveryMs, int msPerWord, Scheduler timer) {
        this.finalDelayMs = finalDelayMs;
        this.interimEveryMs = Math.max(1, interimEveryMs);
        this.msPerWord = Math.max(1, msPerWord);
        this.timer = timer;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Set<String> capabilities() {
        return Set.of(STREAMING, INTERIM_RESULTS);
    }

    @Override
    public Flux<SttResult> transcribe(Flux<byte[]> utteranceAudio, SttSettings settings) {
        SessionConfig.Simulation simulation = settings.simulationOrEmpty();
        long bytesPerMs = settings.sampleRate() * 2L / 1000;
        Duration finalDelay = Duration.ofMillis(Math.max(0, simulation.sttFinalDelayMs() != null
                ? simulation.sttFinalDelayMs() : finalDelayMs));
        String script = simulation.transcript();
        boolean fail = simulation.hasFault(FAULT);
        return Flux.defer(() -> {
            long[] bytes = {0};
            Flux<SttResult> interims = utteranceAudio.concatMap(chunk -> {
                long before = bytes[0] / bytesPerMs / interimEveryMs;
                bytes[0] += chunk.length;
                long after = bytes[0] / bytesPerMs / interimEveryMs;
                return after > before && !hearsNothing(script)
                        ? Mono.just(SttResult.interim(interimText(script, after * interimEveryMs)))
                        : Mono.<SttResult>empty();
            });
            Mono<SttResult> last = Mono.defer(() -> {
                long audioMs = bytes[0] / bytesPerMs;
                Mono<Long> wait = Mono.delay(finalDelay, timer);
                return fail
                        ? wait.then(Mono.error(new IllegalStateException("simulated recogniser failure (fault "
                                + FAULT + ")")))
                        : wait.thenReturn(SttResult.finalResult(finalText(script, audioMs)));
            });
            return interims.concatWith(last);
        });
    }

    private String interimText(String script, long audioMs) {
        if (script == null || script.isBlank()) {
            return String.format(Locale.ROOT, "[hearing %.1f s of speech]", audioMs / 1000.0);
        }
        String[] words = script.trim().split("\\s+");
        int shown = (int) Math.max(1, Math.min(words.length, audioMs / msPerWord));
        return String.join(" ", Arrays.copyOf(words, shown));
    }

    /** An empty script ("") is a recogniser that hears no words in the sound (a cough, music): an empty final. */
    private static boolean hearsNothing(String script) {
        return script != null && script.isBlank();
    }

    private static String finalText(String script, long audioMs) {
        if (hearsNothing(script)) {
            return "";
        }
        if (script == null) {
            return String.format(Locale.ROOT, "[simulated transcript of %.1f s of speech]", audioMs / 1000.0);
        }
        return script.trim();
    }
}

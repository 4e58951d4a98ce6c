package dev.voxline.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/** Vosk on real speech: espeak-ng phrases made at test time. Prints WER, RTF and the model's load figures. */
class VoskSttEngineTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final VoskSttEngine engine = VoskFixture.engine();

    @TempDir
    Path dir;

    @Test
    void recognisesThePhraseSet() throws Exception {
        int referenceWords = 0;
        int errors = 0;
        int recalled = 0;
        double audioMs = 0;
        double processingMs = 0;
        boolean anyInterim = false;
        StringBuilder table = new StringBuilder();
        List<byte[]> spoken = new ArrayList<>();
        for (String phrase : SpokenPhrases.PHRASES) {
            spoken.add(SpokenPhrases.speak(dir, phrase, 0.3));
        }
        VoskSttEngine.ModelLoad load = engine.preload().block(TIMEOUT); // loaded once; not part of the figures below
        long cpuBefore = processCpuNanos();
        for (int i = 0; i < spoken.size(); i++) {
            String phrase = SpokenPhrases.PHRASES.get(i);
            byte[] pcm = spoken.get(i);
            List<SttResult> results = engine.transcribe(Flux.fromIterable(SpokenPhrases.frames(pcm)),
                    new SttSettings(SpokenPhrases.RATE, null)).collectList().block(TIMEOUT);

            assertThat(results).isNotEmpty();
            assertThat(results.subList(0, results.size() - 1)).noneMatch(SttResult::isFinal);
            SttResult fin = results.get(results.size() - 1);
            assertThat(fin.isFinal()).isTrue();
            assertThat(fin.processingMs()).isPositive();
            anyInterim |= results.size() > 1;

            List<String> reference = SpokenPhrases.words(phrase);
            List<String> hypothesis = SpokenPhrases.words(fin.text());
            referenceWords += reference.size();
            errors += SpokenPhrases.wordErrors(reference, hypothesis);
            recalled += SpokenPhrases.wordsRecalled(reference, hypothesis);
            double ms = SpokenPhrases.durationMs(pcm);
            audioMs += ms;
            processingMs += fin.processingMs();
            table.append(String.format(Locale.ROOT, "  %-40s -> %-40s %5.0f ms audio, rtf %.3f, %d interim%n",
                    phrase, "\"" + fin.text() + "\"", ms, fin.processingMs() / ms, results.size() - 1));
        }
        double cpuMs = (processCpuNanos() - cpuBefore) / 1e6;
        System.out.printf(Locale.ROOT, "Vosk en-us, %d phrases (espeak-ng):%n%s", SpokenPhrases.PHRASES.size(), table);
        System.out.printf(Locale.ROOT, "Vosk WER %.1f %% (%d errors / %d words), word recall %.1f %%, RTF %.3f "
                        + "(%.0f ms decoding / %.0f ms audio)%n", 100.0 * errors / referenceWords, errors,
                referenceWords, 100.0 * recalled / referenceWords, processingMs / audioMs, processingMs, audioMs);
        System.out.printf(Locale.ROOT, "Vosk CPU time / audio %.3f (process CPU %.0f ms, %d CPUs)%n", cpuMs / audioMs, cpuMs,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "Vosk model: unpack/locate %.0f ms, load %.0f ms, +%d MB resident, "
                        + "+%d MB heap%n", load.resolveMs(), load.loadMs(), load.residentBytesAdded() >> 20,
                load.heapBytesAdded() >> 20);

        assertThat((double) recalled / referenceWords).as("word recall over the phrase set").isGreaterThanOrEqualTo(0.8);
        assertThat(anyInterim).as("interim results while the audio streams").isTrue();
        assertThat(engine.openRecognizers()).as("recognizers freed on completion").isZero();
    }

    @Test
    void audioArrivingInRealTimeGetsInterimsWhileItStreamsAndTheFinalAfterThePause() throws Exception {
        String phrase = "please call my mother tomorrow morning";
        List<byte[]> frames = SpokenPhrases.frames(SpokenPhrases.speak(dir, phrase, 0.3));
        AtomicLong pauseAt = new AtomicLong();
        Flux<byte[]> live = Flux.fromIterable(frames).delayElements(Duration.ofMillis(20))
                .doOnComplete(() -> pauseAt.set(System.nanoTime()));

        List<Tuple2<SttResult, Long>> results = engine.transcribe(live, new SttSettings(SpokenPhrases.RATE, null))
                .map(result -> Tuples.of(result, System.nanoTime())).collectList().block(TIMEOUT);

        Tuple2<SttResult, Long> fin = results.get(results.size() - 1);
        assertThat(fin.getT1().isFinal()).isTrue();
        assertThat(SpokenPhrases.wordsRecalled(SpokenPhrases.words(phrase), SpokenPhrases.words(fin.getT1().text())))
                .isGreaterThanOrEqualTo(5);
        assertThat(results).filteredOn(r -> !r.getT1().isFinal() && r.getT2() < pauseAt.get())
                .as("interim results before the pause").isNotEmpty();
        System.out.printf(Locale.ROOT, "Vosk live (20 ms frames in real time): final %.1f ms after the pause, "
                + "%d interim results, rtf %.3f%n", (fin.getT2() - pauseAt.get()) / 1e6, results.size() - 1,
                fin.getT1().processingMs() / (frames.size() * 20.0));
    }

    @Test
    void aPauseInsideTheUtteranceKeepsBothParts() throws Exception {
        byte[] pcm = SpokenPhrases.concat(SpokenPhrases.speak(dir, "turn the lights on", 0.3),
                SpokenPhrases.silence(1_200), SpokenPhrases.speak(dir, "please call my mother", 0.3));
        List<SttResult> results = engine.transcribe(Flux.fromIterable(SpokenPhrases.frames(pcm)),
                new SttSettings(SpokenPhrases.RATE, null)).collectList().block(TIMEOUT);

        SttResult fin = results.get(results.size() - 1);
        assertThat(fin.isFinal()).isTrue();
        assertThat(SpokenPhrases.words(fin.text())).contains("lights", "mother");
    }

    @Test
    void noAudioGivesAnEmptyFinal() {
        List<SttResult> results = engine.transcribe(Flux.empty(), new SttSettings(SpokenPhrases.RATE, null))
                .collectList().block(TIMEOUT);
        assertThat(results).containsExactly(SttResult.finalResult("", 0));
        assertThat(engine.openRecognizers()).isZero();
    }

    @Test
    void cancellationFreesTheRecognizer() throws Exception {
        List<byte[]> frames = SpokenPhrases.frames(SpokenPhrases.speak(dir, "what is the weather like today", 0.3));
        Sinks.Many<byte[]> audio = Sinks.many().unicast().onBackpressureBuffer();
        List<SttResult> results = new CopyOnWriteArrayList<>();
        Disposable subscription = engine.transcribe(audio.asFlux(), new SttSettings(SpokenPhrases.RATE, null))
                .subscribe(results::add);

        frames.subList(0, frames.size() / 2).forEach(audio::tryEmitNext);
        await().atMost(TIMEOUT).until(() -> engine.openRecognizers() == 1 && !results.isEmpty());
        subscription.dispose();
        await().atMost(TIMEOUT).until(() -> engine.openRecognizers() == 0);

        frames.subList(frames.size() / 2, frames.size()).forEach(audio::tryEmitNext);
        audio.tryEmitComplete();
        assertThat(results).noneMatch(SttResult::isFinal);
        assertThat(engine.openRecognizers()).isZero();
    }

    /** CPU time of this JVM, a load-independent view of the decoding cost next to its wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

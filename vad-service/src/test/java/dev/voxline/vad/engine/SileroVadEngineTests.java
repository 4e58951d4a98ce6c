package dev.voxline.vad.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.voxline.vad.segment.SpeechSegmenter;
import dev.voxline.vad.segment.VadProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Silero VAD v5 on audio made with espeak-ng and sox. */
class SileroVadEngineTests {

    private static final VadSettings SETTINGS = new VadSettings(TestAudio.RATE);
    /** How far a found speech boundary may be from where the speech is (the bound). */
    private static final int BOUNDARY_TOLERANCE_MS = 100;

    @TempDir
    static Path dir;

    private static SileroVadEngine engine;

    @BeforeAll
    static void loadModel() throws IOException {
        long rssBefore = rssKb();
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        engine = new SileroVadEngine(SileroVadEngine.DEFAULT_MODEL_RESOURCE, 2);
        engine.load();
        // a figure for the closing note (memory the engine adds), not an assertion
        System.out.printf("Silero load: %d ms; RSS +%d MB (onnxruntime native library + model), heap +%d MB%n",
                (System.nanoTime() - started) / 1_000_000, (rssKb() - rssBefore) / 1024,
                Math.max(0, usedHeap() - heapBefore) / (1024 * 1024));
    }

    private static long rssKb() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void modelHasTheV5Inputs() {
        Map<String, NodeInfo> inputs = engine.inputs();
        assertThat(inputs).containsOnlyKeys("input", "state", "sr");
        assertThat(((TensorInfo) inputs.get("state").getInfo()).getShape()).containsExactly(2, -1, 128);
        assertThat(((TensorInfo) inputs.get("input").getInfo()).getShape()).containsExactly(-1, -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Hello, what is the weather like in Berlin today?",
            "Please book a table for two at seven o'clock.",
            "Tell me a joke about computers."})
    void findsSpeechBoundariesWithinAHundredMilliseconds(String text) throws IOException {
        TestAudio.Phrase phrase = TestAudio.phrase(dir, text, 1000, 0);
        assertBoundaries(phrase, segments(phrase.pcm(), VadProfile.LOW_LATENCY));
    }

    @Test
    void findsSpeechBoundariesInLowBackgroundNoise() throws IOException {
        // white noise at 0.01 of full scale, about −45 dBFS RMS, under the whole clip
        TestAudio.Phrase phrase = TestAudio.phrase(dir, "Turn on the lights in the kitchen.", 1200, 0.01);
        assertBoundaries(phrase, segments(phrase.pcm(), VadProfile.LOW_LATENCY));
        assertBoundaries(phrase, segments(phrase.pcm(), VadProfile.HIGH_ACCURACY));
    }

    @Test
    void noiseOnlyIsNotSpeech() throws IOException {
        // moderate white noise (vol 0.1 ≈ −25 dBFS RMS): loud enough that the energy detector calls it speech
        byte[] noise = TestAudio.whiteNoise(dir, 4, 0.1);
        List<VadScore> scores = score(noise);
        double max = scores.stream().mapToDouble(VadScore::probability).max().orElseThrow();
        System.out.printf("Silero max speech probability on white noise (vol 0.1, 4 s): %.3f%n", max);

        assertThat(segments(noise, VadProfile.LOW_LATENCY)).isEmpty();
        assertThat(segments(noise, VadProfile.HIGH_ACCURACY)).isEmpty();
        assertThat(max).isLessThan(VadProfile.LOW_LATENCY.threshold());
        List<int[]> energySegments = segments(new EnergyVadEngine(-50, -30)
                .score(Flux.fromIterable(TestAudio.frames(noise)), SETTINGS).collectList().block(),
                VadProfile.LOW_LATENCY);
        assertThat(energySegments).as("the energy detector cannot tell this noise from speech").isNotEmpty();
    }

    @Test
    void scoresEveryFrameOnceInOrderIncludingAPartialLastWindow() {
        // 13 frames = 4160 samples = 8 whole windows + 64 samples: the last frame is scored on the padded window
        List<AudioFrame> frames = TestAudio.frames(new byte[13 * TestAudio.FRAME_BYTES]);
        List<VadScore> scores = engine.score(Flux.fromIterable(frames), SETTINGS).collectList().block();
        assertThat(scores).extracting(score -> score.frame().seq())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(scores).allSatisfy(score -> assertThat(score.probability()).isBetween(0.0, 0.2));
        // nine model runs, each timed once
        assertThat(scores.stream().filter(score -> score.inferenceNanos() > 0).count()).isEqualTo(9);
    }

    @Test
    void sessionsKeepTheirOwnStateWhenInterleaved() throws Exception {
        TestAudio.Phrase phrase = TestAudio.phrase(dir, "Good morning, how are you?", 500, 0);
        byte[] noise = TestAudio.whiteNoise(dir, 3, 0.05);
        List<Double> speechAlone = probabilities(score(phrase.pcm()));
        List<Double> noiseAlone = probabilities(score(noise));
        assertThat(probabilities(score(phrase.pcm()))).as("a new session starts from a fresh state")
                .containsExactlyElementsOf(speechAlone);

        // Two sessions on the same engine, their frames interleaved one by one.
        Sinks.Many<AudioFrame> speechIn = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<AudioFrame> noiseIn = Sinks.many().unicast().onBackpressureBuffer();
        List<VadScore> speechOut = new CopyOnWriteArrayList<>();
        List<VadScore> noiseOut = new CopyOnWriteArrayList<>();
        var speechDone = engine.score(speechIn.asFlux(), SETTINGS).doOnNext(speechOut::add).then().toFuture();
        var noiseDone = engine.score(noiseIn.asFlux(), SETTINGS).doOnNext(noiseOut::add).then().toFuture();
        List<AudioFrame> speechFrames = TestAudio.frames(phrase.pcm());
        List<AudioFrame> noiseFrames = TestAudio.frames(noise);
        for (int i = 0; i < Math.max(speechFrames.size(), noiseFrames.size()); i++) {
            if (i < speechFrames.size()) {
                speechIn.tryEmitNext(speechFrames.get(i)).orThrow();
            }
            if (i < noiseFrames.size()) {
                noiseIn.tryEmitNext(noiseFrames.get(i)).orThrow();
            }
        }
        speechIn.tryEmitComplete().orThrow();
        noiseIn.tryEmitComplete().orThrow();
        speechDone.get(30, TimeUnit.SECONDS);
        noiseDone.get(30, TimeUnit.SECONDS);

        assertThat(probabilities(speechOut)).hasSameSizeAs(speechAlone);
        for (int i = 0; i < speechAlone.size(); i++) {
            assertThat(probabilities(speechOut).get(i)).as("speech frame %d", i)
                    .isCloseTo(speechAlone.get(i), within(1e-5));
        }
        for (int i = 0; i < noiseAlone.size(); i++) {
            assertThat(probabilities(noiseOut).get(i)).as("noise frame %d", i)
                    .isCloseTo(noiseAlone.get(i), within(1e-5));
        }
        assertThat(segments(speechOut, VadProfile.LOW_LATENCY)).isNotEmpty();
        assertThat(segments(noiseOut, VadProfile.LOW_LATENCY)).isEmpty();
    }

    @Test
    void rejectsRatesTheModelDoesNotKnow() {
        Flux<VadScore> scores = engine.score(Flux.fromIterable(TestAudio.frames(new byte[TestAudio.FRAME_BYTES])),
                new VadSettings(44_100));
        org.assertj.core.api.Assertions.assertThatThrownBy(scores::blockLast)
                .hasMessageContaining("16 or 8 kHz");
    }

    @Test
    void missingModelFailsWithAClearMessage() {
        try (SileroVadEngine missing = new SileroVadEngine("models/nope.onnx", 1)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(missing::load)
                    .hasMessageContaining("models/nope.onnx").hasMessageContaining("npm");
        }
    }

    @Test
    void closingTheEngineWhileSessionsScoreNeitherCrashesNorRunsOnAFreedModel() throws Exception {
        byte[] noise = TestAudio.whiteNoise(dir, 10, 0.05);
        SileroVadEngine own = new SileroVadEngine(SileroVadEngine.DEFAULT_MODEL_RESOURCE, 2);
        own.load();
        var first = own.score(Flux.fromIterable(TestAudio.frames(noise)), SETTINGS).collectList().toFuture();
        var second = own.score(Flux.fromIterable(TestAudio.frames(noise)), SETTINGS).collectList().toFuture();
        own.close(); // waits for the windows being run, then frees the native session

        for (var scores : List.of(first, second)) {
            try {
                assertThat(scores.get(30, TimeUnit.SECONDS)).hasSize(500);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("closed");
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(own::load).hasMessageContaining("closed");
    }

    /** Prints Silero's compute time per 512-sample window, mean over a clip (a figure, not an assertion). */
    @Test
    void printsMillisecondsPerWindow() throws IOException {
        TestAudio.Phrase phrase = TestAudio.phrase(dir, "The quick brown fox jumps over the lazy dog. "
                + "She sells sea shells by the sea shore.", 1000, 0.005);
        score(phrase.pcm()); // warm-up
        List<VadScore> scores = score(phrase.pcm());
        long windows = scores.stream().filter(score -> score.inferenceNanos() > 0).count();
        double totalMs = scores.stream().mapToLong(VadScore::inferenceNanos).sum() / 1e6;
        double clipS = phrase.pcm().length / 2.0 / TestAudio.RATE;
        System.out.printf("Silero ms/window: %.3f (mean over %d windows of 32 ms, %.1f s clip; %.1f%% of real time)%n",
                totalMs / windows, windows, clipS, 100 * totalMs / 1000 / clipS);
        assertThat(windows).isEqualTo((long) Math.ceil(phrase.pcm().length / 2.0 / 512));
    }

    private static List<VadScore> score(byte[] pcm) {
        return engine.score(Flux.fromIterable(TestAudio.frames(pcm)), SETTINGS).collectList().block();
    }

    private static List<Double> probabilities(List<VadScore> scores) {
        return scores.stream().map(VadScore::probability).toList();
    }

    private static List<int[]> segments(byte[] pcm, VadProfile profile) {
        return segments(score(pcm), profile);
    }

    /** Speech segments as [startMs, endMs] from the first voiced frame's start to the last voiced frame's end. */
    static List<int[]> segments(List<VadScore> scores, VadProfile profile) {
        List<int[]> segments = new ArrayList<>();
        SpeechSegmenter segmenter = new SpeechSegmenter(profile, 200, new SpeechSegmenter.Listener() {
            @Override
            public void onSpeechStarted(long firstVoicedSeq) {
                segments.add(new int[] {(int) firstVoicedSeq * 20, -1});
            }

            @Override
            public void onSpeechAudio(AudioFrame frame) {
            }

            @Override
            public void onSpeechEnded(long lastVoicedSeq) {
                segments.get(segments.size() - 1)[1] = (int) (lastVoicedSeq + 1) * 20;
            }
        });
        scores.forEach(score -> segmenter.accept(score.frame(), score.probability()));
        return segments;
    }

    private static void assertBoundaries(TestAudio.Phrase phrase, List<int[]> segments) {
        System.out.printf("Silero on \"%s\": speech %d..%d ms, found %s%n", phrase.text(), phrase.speechStartMs(),
                phrase.speechEndMs(), segments.stream().map(s -> s[0] + ".." + s[1]).toList());
        assertThat(segments).as("segments of \"%s\"", phrase.text()).isNotEmpty();
        int start = segments.get(0)[0];
        int end = segments.get(segments.size() - 1)[1];
        assertThat(start).as("speech start").isCloseTo(phrase.speechStartMs(), within(BOUNDARY_TOLERANCE_MS));
        assertThat(end).as("speech end").isCloseTo(phrase.speechEndMs(), within(BOUNDARY_TOLERANCE_MS));
    }
}

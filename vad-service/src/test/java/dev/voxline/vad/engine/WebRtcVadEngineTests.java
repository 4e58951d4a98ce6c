package dev.voxline.vad.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.vad.segment.VadProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/** WebRTC VAD (libfvad) on audio made with espeak-ng and sox. */
class WebRtcVadEngineTests {

    private static final VadSettings SETTINGS = new VadSettings(TestAudio.RATE);

    @TempDir
    static Path dir;

    private static WebRtcVadEngine engine;

    @BeforeAll
    static void create() {
        engine = new WebRtcVadEngine(3, 1);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Hello, what is the weather like in Berlin today?",
            "Please book a table for two at seven o'clock."})
    void findsTheSpeechStartWithinAHundredMillisecondsAndItsEndSlightlyLate(String text) throws IOException {
        TestAudio.Phrase phrase = TestAudio.phrase(dir, text, 1000, 0);
        List<int[]> segments = SileroVadEngineTests.segments(score(phrase.pcm()), VadProfile.LOW_LATENCY);
        System.out.printf("WebRTC on \"%s\": speech %d..%d ms, found %s%n", text, phrase.speechStartMs(),
                phrase.speechEndMs(), segments.stream().map(s -> s[0] + ".." + s[1]).toList());
        assertThat(segments).isNotEmpty();
        assertThat(segments.get(0)[0]).isCloseTo(phrase.speechStartMs(), within(100));
        // WebRTC's detector holds its decision for a few frames after speech (its hangover): the end comes late
        assertThat(segments.get(segments.size() - 1)[1]).isBetween(phrase.speechEndMs() - 100,
                phrase.speechEndMs() + 160);
    }

    @Test
    void silenceAndQuietNoiseAreNotSpeech() throws IOException {
        byte[] quiet = TestAudio.whiteNoise(dir, 3, 0.003);
        assertThat(SileroVadEngineTests.segments(score(new byte[3 * 16_000 * 2]), VadProfile.LOW_LATENCY)).isEmpty();
        assertThat(SileroVadEngineTests.segments(score(quiet), VadProfile.LOW_LATENCY)).isEmpty();
    }

    @Test
    void scoresEveryFrameInOrderWithZeroOrOne() throws IOException {
        TestAudio.Phrase phrase = TestAudio.phrase(dir, "One two three.", 300, 0);
        List<AudioFrame> frames = TestAudio.frames(phrase.pcm());
        List<VadScore> scores = score(phrase.pcm());
        assertThat(scores).extracting(score -> score.frame().seq())
                .containsExactlyElementsOf(frames.stream().map(AudioFrame::seq).toList());
        assertThat(scores).extracting(VadScore::probability).containsOnly(0.0, 1.0).contains(0.0, 1.0);
        assertThat(scores).allSatisfy(score -> assertThat(score.inferenceNanos()).isPositive());
        // a new session's detector starts fresh: the same input scores the same
        assertThat(score(phrase.pcm())).extracting(VadScore::probability)
                .containsExactlyElementsOf(scores.stream().map(VadScore::probability).toList());
    }

    @Test
    void framesOfTheWrongLengthAreAnError() {
        AudioFrame odd = new AudioFrame(0, new byte[250 * 2], -1, false);
        assertThatThrownBy(() -> engine.score(Flux.just(odd), SETTINGS).blockLast())
                .hasMessageContaining("10, 20 or 30 ms");
        assertThatThrownBy(() -> engine.score(Flux.just(odd), new VadSettings(11_025)).blockLast())
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Moderate white noise, where Silero stays silent: printed, since WebRTC's answer is a property, not a bug. */
    @Test
    void printsWhatItMakesOfModerateNoiseAndItsCostPerFrame() throws IOException {
        byte[] noise = TestAudio.whiteNoise(dir, 4, 0.1);
        List<VadScore> scores = score(noise);
        long voiced = scores.stream().filter(score -> score.probability() > 0.5).count();
        List<int[]> segments = SileroVadEngineTests.segments(scores, VadProfile.LOW_LATENCY);
        double usPerFrame = scores.stream().mapToLong(VadScore::inferenceNanos).average().orElseThrow() / 1e3;
        System.out.printf("WebRTC (mode 3) on white noise vol 0.1: %d of %d frames voiced, %d segments; "
                + "%.1f us/frame%n", voiced, scores.size(), segments.size(), usPerFrame);
        assertThat(scores).hasSize(200);
    }

    private static List<VadScore> score(byte[] pcm) {
        return engine.score(Flux.fromIterable(TestAudio.frames(pcm)), SETTINGS).collectList().block();
    }
}

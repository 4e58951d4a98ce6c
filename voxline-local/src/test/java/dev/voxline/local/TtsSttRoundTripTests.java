package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.loadtest.report.WordErrorRate;
import dev.voxline.stt.engine.SttResult;
import dev.voxline.stt.engine.SttSettings;
import dev.voxline.stt.engine.VoskModelFiles;
import dev.voxline.stt.engine.VoskSttEngine;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.TtsSettings;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The round trip TTS → STT (issue 6): sentences synthesised by tts-service's MaryTTS engine are recognised by
 * stt-service's Vosk engine, engine to engine (no broker), and the words come back. The MaryTTS voice is not what
 * Vosk was trained on and espeak-ng is not involved, so this checks both engines against each other's real audio.
 */
class TtsSttRoundTripTests {

    private static final int RATE = 16_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Silence around the speech, as VAD's pre-roll and the pause give STT. */
    private static final int PAD_MS = 300;

    private static MaryTtsEngine mary;
    private static VoskSttEngine vosk;
    private static Scheduler sttScheduler;

    @BeforeAll
    static void engines() {
        mary = new MaryTtsEngine("cmu-slt-hsmm", 100, Schedulers.newBoundedElastic(2, 64, "roundtrip-tts"));
        sttScheduler = Schedulers.newBoundedElastic(2, 64, "roundtrip-stt");
        // the cache the embedded stack's stt-service uses by default, so the model is unpacked once per machine
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "voxline-vosk");
        vosk = new VoskSttEngine(() -> VoskModelFiles.resolve("en-us", null, cache,
                TtsSttRoundTripTests.class.getClassLoader()), sttScheduler, 200);
    }

    @AfterAll
    static void close() {
        mary.close();
        sttScheduler.dispose();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "The weather is nice today.|weather nice today",
            "Please turn off the lights in the kitchen.|lights kitchen",
            "I would like a cup of coffee.|cup coffee"})
    void maryTtsSpeechIsRecognisedByVosk(String sentence, String keyWords) {
        byte[] speech = concat(mary.synthesize(sentence, new TtsSettings(RATE, null, null)).collectList()
                .block(TIMEOUT));
        assertThat(Pcm.durationMs(speech.length, RATE)).as("MaryTTS audio").isBetween(800L, 6_000L);
        assertThat(Pcm.rmsDbfs(speech)).as("MaryTTS speech, not silence").isGreaterThan(-40);
        byte[] padded = concat(List.of(new byte[Pcm.frameBytes(RATE, PAD_MS)], speech,
                new byte[Pcm.frameBytes(RATE, PAD_MS)]));

        List<SttResult> results = vosk.transcribe(Flux.fromIterable(frames(padded)), new SttSettings(RATE, null))
                .collectList().block(TIMEOUT);

        SttResult heard = results.get(results.size() - 1);
        assertThat(heard.isFinal()).isTrue();
        WordErrorRate.Alignment words = WordErrorRate.align(sentence, heard.text());
        System.out.printf(Locale.ROOT, "TTS → STT: \"%s\" → \"%s\": WER %.2f (%s), %d ms of MaryTTS audio%n",
                sentence, heard.text(), words.rate(), words.describe(), Pcm.durationMs(speech.length, RATE));
        assertThat(WordErrorRate.words(heard.text())).as("key words of \"%s\"", sentence)
                .containsAll(Arrays.asList(keyWords.split(" ")));
        assertThat(words.rate()).as("WER of \"%s\" heard as \"%s\"", sentence, heard.text())
                .isLessThanOrEqualTo(0.25);
        assertThat(vosk.openRecognizers()).isZero();
    }

    private static List<byte[]> frames(byte[] pcm) {
        int frame = Pcm.frameBytes(RATE, Pcm.FRAME_MS);
        List<byte[]> frames = new ArrayList<>();
        for (int at = 0; at < pcm.length; at += frame) {
            frames.add(Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + frame)));
        }
        return frames;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}

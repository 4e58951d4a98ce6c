package dev.voxline.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.audio.Pcm;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The real MaryTTS engine: one engine for the class (MaryTTS starts once per JVM). Prints MaryTTS's first-audio
 * time cold (start included) and warm, and the heap and resident memory its start adds.
 */
class MaryTtsEngineTests {

    private static final String SENTENCE = "Hello, this is a test of the speech synthesiser.";

    private static Scheduler scheduler;
    private static MaryTtsEngine engine;
    private static Timed cold;
    /** false when another test class of this JVM started MaryTTS first: then there is no cold figure. */
    private static boolean wasCold;
    private static long heapAddedMb;
    private static long rssAddedMb;

    @BeforeAll
    static void startOnce() {
        scheduler = Schedulers.newBoundedElastic(2, 64, "marytts-test");
        engine = new MaryTtsEngine("cmu-slt-hsmm", 100, scheduler);
        wasCold = marytts.server.Mary.currentState() == marytts.server.Mary.STATE_OFF;
        long heapBefore = usedHeapAfterGc();
        long rssBefore = rssKb();
        cold = timed(SENTENCE, 16_000);
        heapAddedMb = (usedHeapAfterGc() - heapBefore) >> 20;
        rssAddedMb = (rssKb() - rssBefore) >> 10;
    }

    @AfterAll
    static void stop() {
        scheduler.dispose();
    }

    @Test
    void speaksNonSilentPcm16AtTheSessionRateWithAPlausibleDuration() {
        Timed warm = timed(SENTENCE, 16_000);
        // first audio only (cancelling after the first chunk stops MaryTTS's vocoder): median and max of 10
        String[] texts = {"Sure.", "It is a quarter past three.", SENTENCE};
        StringBuilder firsts = new StringBuilder();
        for (String text : texts) {
            long[] ms = new long[10];
            for (int i = 0; i < ms.length; i++) {
                long start = System.nanoTime();
                engine.synthesize(text, new TtsSettings(16_000, null, null)).next().block(Duration.ofSeconds(30));
                ms[i] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(ms);
            firsts.append(String.format("%n  \"%s\": first audio p50 %d ms, max %d ms", text, ms[5], ms[9]));
        }
        System.out.printf("MaryTTS cmu-slt-hsmm figures:%n  cold first audio (MaryTTS start included): %s%n"
                        + "  start adds heap %s (used after GC), RSS %s%n  \"%s\": %d ms of audio in %d ms "
                        + "(real-time factor %.2f)%s%n",
                wasCold ? cold.firstMs + " ms" : "n/a (started by an earlier test in this JVM)",
                wasCold ? heapAddedMb + " MB" : "n/a", wasCold ? rssAddedMb + " MB" : "n/a", SENTENCE,
                Pcm.durationMs(warm.pcm.length, 16_000), warm.totalMs,
                warm.totalMs / (double) Pcm.durationMs(warm.pcm.length, 16_000), firsts);

        assertThat(engine.voices()).contains("cmu-slt-hsmm");
        for (Timed run : List.of(cold, warm)) {
            assertThat(run.pcm.length % 2).isZero();
            // 48 characters of English: between 1.5 and 6 s of speech
            assertThat(Pcm.durationMs(run.pcm.length, 16_000)).isBetween(1_500L, 6_000L);
            assertThat(Pcm.rmsDbfs(run.pcm)).isGreaterThan(-35);
            assertThat(voicedShare(run.pcm, 16_000)).isGreaterThan(0.5);
        }
        // 100 ms chunks but the last of each piece ("Hello," then the rest of the sentence)
        List<byte[]> chunks = warm.chunks;
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.length).isBetween(2, Pcm.frameBytes(16_000, 100)));
        assertThat(chunks.stream().filter(chunk -> chunk.length < Pcm.frameBytes(16_000, 100)).count())
                .isBetween(1L, 2L);
        if (wasCold) {
            assertThat(warm.firstMs).isLessThan(cold.firstMs);
        }
        // the first phrase is heard before the whole sentence is synthesised
        assertThat(warm.firstMs).isLessThan(warm.totalMs);
    }

    @Test
    void convertsToTheSessionsOutputRate() {
        Timed at16 = timed(SENTENCE, 16_000);
        Timed at24 = timed(SENTENCE, 24_000);
        Timed at8 = timed(SENTENCE, 8_000);
        assertThat(Pcm.durationMs(at24.pcm.length, 24_000))
                .isCloseTo(Pcm.durationMs(at16.pcm.length, 16_000), within(5L));
        assertThat(Pcm.durationMs(at8.pcm.length, 8_000))
                .isCloseTo(Pcm.durationMs(at16.pcm.length, 16_000), within(5L));
        assertThat(at24.chunks.get(0)).hasSize(Pcm.frameBytes(24_000, 100));
        assertThat(Pcm.rmsDbfs(at24.pcm)).isCloseTo(Pcm.rmsDbfs(at16.pcm), within(1.0));
    }

    @Test
    void aClauseOfSeveralSentencesIsSpokenSentenceBySentence() {
        assertThat(MaryTtsEngine.sentences("Hi there! How are you? I am fine.  \"Really.\" Yes"))
                .containsExactly("Hi there!", "How are you?", "I am fine.", "\"Really.\"", "Yes");
        // a long first sentence: its first phrase goes first
        assertThat(MaryTtsEngine.sentences("Well, it is three o'clock in the afternoon here. Bye, then."))
                .containsExactly("Well,", "it is three o'clock in the afternoon here.", "Bye, then.");
        assertThat(MaryTtsEngine.sentences("It costs 1,000 dollars and is worth every cent of it, honestly."))
                .containsExactly("It costs 1,000 dollars and is worth every cent of it,", "honestly.");
        assertThat(MaryTtsEngine.sentences("Short, sentence.")).containsExactly("Short, sentence.");
        assertThat(MaryTtsEngine.sentences("  ... ")).isEmpty();
        assertThat(MaryTtsEngine.sentences(null)).isEmpty();

        Timed one = timed("It is three o'clock.", 16_000);
        Timed two = timed("It is three o'clock. It is three o'clock.", 16_000);
        assertThat(Pcm.durationMs(two.pcm.length, 16_000))
                .isCloseTo(2 * Pcm.durationMs(one.pcm.length, 16_000), within(100L));
    }

    @Test
    void sessionsSynthesisingAtOnceEachGetTheirWholeSentence() {
        Timed alone = timed("It is a quarter past three.", 16_000);
        List<byte[]> together = Flux.range(0, 3)
                .flatMap(i -> engine.synthesize("It is a quarter past three.", new TtsSettings(16_000, null, null))
                        .collectList().map(MaryTtsEngineTests::join))
                .collectList().block(Duration.ofSeconds(60));
        assertThat(together).hasSize(3).allSatisfy(pcm -> {
            assertThat(pcm.length).isEqualTo(alone.pcm.length);
            assertThat(Pcm.rmsDbfs(pcm)).isCloseTo(Pcm.rmsDbfs(alone.pcm), within(0.5));
        });
    }

    @Test
    void aPhraseEndsWithAShortPauseASentenceWithItsFullPause() {
        Timed phrase = timed("Well, the thing is,", 16_000);
        Timed sentence = timed("Well, the thing is.", 16_000);
        long phrasePause = trailingSilenceMs(phrase.pcm, 16_000);
        long sentencePause = trailingSilenceMs(sentence.pcm, 16_000);
        // the pause kept, plus the silent end of the last chunk with sound in it (chunks are 100 ms)
        assertThat(phrasePause).as("phrase pause").isLessThanOrEqualTo(MaryTtsEngine.PHRASE_PAUSE_MS + 100L);
        assertThat(sentencePause).as("sentence pause").isGreaterThan(phrasePause + 100);
        assertThat(Pcm.rmsDbfs(phrase.pcm)).isGreaterThan(-35);
    }

    @Test
    void nothingToSayIsNoAudio() {
        assertThat(engine.synthesize(" ... ", new TtsSettings(16_000, null, null)).collectList()
                .block(Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void anUnknownSessionVoiceFallsBackToTheDefaultVoice() {
        byte[] pcm = join(engine.synthesize("Okay.", new TtsSettings(16_000, "no-such-voice", null)).collectList()
                .block(Duration.ofSeconds(60)));
        assertThat(Pcm.durationMs(pcm.length, 16_000)).isBetween(200L, 2_000L);
        assertThat(Pcm.rmsDbfs(pcm)).isGreaterThan(-35);
    }

    @Test
    void writesAWavForListening(@TempDir Path dir) throws Exception {
        // the clip is also checked by sox, an independent reader: rate, channels, bits and a plausible length
        Timed run = timed(SENTENCE, 22_050);
        Path wav = dir.resolve("mary.wav");
        try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(run.pcm),
                new javax.sound.sampled.AudioFormat(22_050, 16, 1, true, false), run.pcm.length / 2)) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, wav.toFile());
        }
        Process soxi = new ProcessBuilder("soxi", wav.toString()).redirectErrorStream(true).start();
        String info = new String(soxi.getInputStream().readAllBytes());
        assertThat(soxi.waitFor()).isZero();
        assertThat(info).contains("Channels       : 1").contains("Sample Rate    : 22050")
                .contains("Precision      : 16-bit");
        assertThat(Files.size(wav)).isGreaterThan(44 + 22_050L * 2);
    }

    private static Timed timed(String text, int rate) {
        long start = System.nanoTime();
        AtomicLong first = new AtomicLong(-1);
        List<byte[]> chunks = engine.synthesize(text, new TtsSettings(rate, null, null))
                .doOnNext(chunk -> first.compareAndSet(-1, System.nanoTime()))
                .collectList().block(Duration.ofSeconds(60));
        return new Timed((first.get() - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000, chunks,
                join(chunks));
    }

    private static byte[] join(List<byte[]> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** Share of 20 ms frames louder than -45 dBFS. */
    private static double voicedShare(byte[] pcm, int rate) {
        List<byte[]> frames = chunks(pcm, Pcm.frameBytes(rate, 20));
        return Flux.fromIterable(frames).filter(frame -> Pcm.rmsDbfs(frame) > -45).count().block()
                / (double) frames.size();
    }

    /** The silence at the end: 10 ms frames under -50 dBFS. */
    private static long trailingSilenceMs(byte[] pcm, int rate) {
        List<byte[]> frames = chunks(pcm, Pcm.frameBytes(rate, 10));
        int silent = 0;
        for (int i = frames.size() - 1; i >= 0 && Pcm.rmsDbfs(frames.get(i)) < -50; i--) {
            silent++;
        }
        return silent * 10L;
    }

    private static List<byte[]> chunks(byte[] pcm, int chunkBytes) {
        List<byte[]> chunks = new ArrayList<>();
        for (int offset = 0; offset + chunkBytes <= pcm.length; offset += chunkBytes) {
            chunks.add(Arrays.copyOfRange(pcm, offset, offset + chunkBytes));
        }
        return chunks;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return 0;
    }

    private record Timed(long firstMs, long totalMs, List<byte[]> chunks, byte[] pcm) {
    }
}

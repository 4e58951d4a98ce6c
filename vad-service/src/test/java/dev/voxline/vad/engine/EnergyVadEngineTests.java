package dev.voxline.vad.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.vad.segment.SpeechSegmenter;
import dev.voxline.vad.segment.VadProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class EnergyVadEngineTests {

    private static final int RATE = 16_000;
    private static final int FRAME_SAMPLES = RATE / 1000 * Pcm.FRAME_MS;

    private final EnergyVadEngine engine = new EnergyVadEngine(-50, -30);

    @Test
    void probabilityRisesLinearlyBetweenFloorAndCeiling() {
        assertThat(engine.probability(-120)).isZero();
        assertThat(engine.probability(-50)).isZero();
        assertThat(engine.probability(-40)).isCloseTo(0.5, within(1e-9));
        assertThat(engine.probability(-30)).isEqualTo(1.0);
        assertThat(engine.probability(0)).isEqualTo(1.0);
    }

    @Test
    void toneIsSpeechSilenceAndLowNoiseAreNot() {
        byte[] tone = tone(200, -20);
        byte[] silence = new byte[FRAME_SAMPLES * 2];
        byte[] noise = noise(-60, new Random(7));
        assertThat(Pcm.rmsDbfs(tone)).isCloseTo(-20, within(0.5));
        assertThat(Pcm.rmsDbfs(noise)).isCloseTo(-60, within(1.0));

        List<Double> scores = engine.score(Flux.just(frame(0, tone), frame(1, silence), frame(2, noise)),
                new VadSettings(RATE)).map(VadScore::probability).collectList().block();

        assertThat(scores).containsExactly(1.0, 0.0, 0.0);
    }

    @Test
    void scoresOneFramePerInputInOrder() {
        List<AudioFrame> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(frame(i, i % 2 == 0 ? tone(150, -25) : new byte[FRAME_SAMPLES * 2]));
        }
        List<Long> seqs = engine.score(Flux.fromIterable(frames), new VadSettings(RATE))
                .map(score -> score.frame().seq()).collectList().block();
        assertThat(seqs).hasSize(50).isSorted();
    }

    @Test
    void findsTheSpeechInAnEspeakRecordingAndNotInTheNoiseAroundIt() throws IOException {
        byte[] speech = wavData("/speech/hello-weather-16k.wav");
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {          // 1 s of −60 dBFS noise
            frames.add(noise(-60, random));
        }
        int speechFrames = speech.length / (FRAME_SAMPLES * 2);
        for (int i = 0; i < speechFrames; i++) {
            frames.add(Arrays.copyOfRange(speech, i * FRAME_SAMPLES * 2, (i + 1) * FRAME_SAMPLES * 2));
        }
        for (int i = 0; i < 50; i++) {          // 1 s of digital silence
            frames.add(new byte[FRAME_SAMPLES * 2]);
        }

        List<String> events = new ArrayList<>();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, new SpeechSegmenter.Listener() {
            @Override
            public void onSpeechStarted(long firstVoicedSeq) {
                events.add("started@" + firstVoicedSeq);
            }

            @Override
            public void onSpeechAudio(AudioFrame frame) {
            }

            @Override
            public void onSpeechEnded(long lastVoicedSeq) {
                events.add("ended@" + lastVoicedSeq);
            }
        });
        List<AudioFrame> input = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            input.add(frame(i, frames.get(i)));
        }
        engine.score(Flux.fromIterable(input), new VadSettings(RATE))
                .doOnNext(score -> segmenter.accept(score.frame(), score.probability()))
                .blockLast();

        assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(6);
        assertThat(events.size() % 2).as("every segment ends").isZero();
        long firstStart = Long.parseLong(events.get(0).substring("started@".length()));
        long lastEnd = Long.parseLong(events.get(events.size() - 1).substring("ended@".length()));
        // espeak puts ~0.1 s of lead-in silence before the first word and some after the last one
        assertThat(firstStart).isBetween(50L, 50L + 15);
        assertThat(lastEnd).isBetween(50L + speechFrames - 25, 50L + speechFrames);
    }

    private static AudioFrame frame(long seq, byte[] pcm) {
        return new AudioFrame(seq, pcm, -1, false);
    }

    private static byte[] tone(double hz, double dbfs) {
        double amplitude = Math.pow(10, dbfs / 20) * Math.sqrt(2) * 32767;
        short[] samples = new short[FRAME_SAMPLES];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return Pcm.toBytes(samples);
    }

    private static byte[] noise(double dbfs, Random random) {
        double sigma = Math.pow(10, dbfs / 20) * 32768;
        short[] samples = new short[FRAME_SAMPLES];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(random.nextGaussian() * sigma);
        }
        return Pcm.toBytes(samples);
    }

    /** The PCM of a 16 kHz mono 16-bit WAV resource. */
    static byte[] wavData(String resource) throws IOException {
        try (InputStream in = EnergyVadEngineTests.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            ByteBuffer wav = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            wav.position(12);
            while (wav.remaining() >= 8) {
                String id = new String(new byte[] {wav.get(), wav.get(), wav.get(), wav.get()});
                int size = wav.getInt();
                if (id.equals("fmt ")) {
                    assertThat(wav.getShort(wav.position())).as("PCM").isEqualTo((short) 1);
                    assertThat(wav.getShort(wav.position() + 2)).as("mono").isEqualTo((short) 1);
                    assertThat(wav.getInt(wav.position() + 4)).as("rate").isEqualTo(RATE);
                }
                if (id.equals("data")) {
                    byte[] data = new byte[Math.min(size, wav.remaining())];
                    wav.get(data);
                    return data;
                }
                wav.position(wav.position() + size + (size & 1));
            }
            throw new IOException("no data chunk in " + resource);
        }
    }
}

package dev.voxline.vad.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Audio made at test time with espeak-ng and sox (both must be installed; .ci/run installs them). */
final class TestAudio {

    static final int RATE = 16_000;
    static final int FRAME_BYTES = RATE / 1000 * Pcm.FRAME_MS * 2;

    /**
     * A spoken phrase padded with silence, and where the speech is: espeak's own lead-in and tail are trimmed with
     * sox's silence detection (−45 dBFS), then exactly {@code padMs} of silence is put on each side, so the speech
     * starts at {@code padMs} and ends {@code padMs} before the clip's end.
     */
    record Phrase(String text, byte[] pcm, int speechStartMs, int speechEndMs) {
    }

    private TestAudio() {
    }

    static Phrase phrase(Path dir, String text, int padMs, double noiseVolume) throws IOException {
        String name = "p" + Math.abs(text.hashCode());
        Path raw = dir.resolve(name + "-raw.wav");
        Path trimmed = dir.resolve(name + "-trim.wav");
        Path padded = dir.resolve(name + "-pad.wav");
        run(dir, "espeak-ng", "-v", "en-us", "-s", "160", "-w", raw.toString(), text);
        run(dir, "sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                trimmed.toString(), "silence", "1", "0.01", "-45d", "reverse", "silence", "1", "0.01", "-45d",
                "reverse");
        run(dir, "sox", trimmed.toString(), padded.toString(), "pad", seconds(padMs), seconds(padMs));
        Path clip = padded;
        if (noiseVolume > 0) {
            Path noise = dir.resolve(name + "-noise.wav");
            clip = dir.resolve(name + "-mix.wav");
            double total = wavData(padded).length / 2.0 / RATE;
            run(dir, "sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", noise.toString(),
                    "synth", String.format("%.4f", total), "whitenoise", "vol", Double.toString(noiseVolume));
            run(dir, "sox", "-m", "-v", "1", padded.toString(), "-v", "1", noise.toString(), clip.toString());
        }
        int speechMs = wavData(trimmed).length / 2 * 1000 / RATE;
        return new Phrase(text, wavData(clip), padMs, padMs + speechMs);
    }

    /** {@code seconds} of sox white noise at {@code volume} (0..1 of full scale). */
    static byte[] whiteNoise(Path dir, double seconds, double volume) throws IOException {
        Path noise = dir.resolve("noise-" + volume + ".wav");
        run(dir, "sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", noise.toString(),
                "synth", Double.toString(seconds), "whitenoise", "vol", Double.toString(volume));
        return wavData(noise);
    }

    /** The clip cut into 20 ms frames (a short last frame is dropped), seq from 0. */
    static List<AudioFrame> frames(byte[] pcm) {
        List<AudioFrame> frames = new ArrayList<>();
        for (int i = 0; (i + 1) * FRAME_BYTES <= pcm.length; i++) {
            frames.add(new AudioFrame(i, Arrays.copyOfRange(pcm, i * FRAME_BYTES, (i + 1) * FRAME_BYTES), -1,
                    false));
        }
        return frames;
    }

    private static String seconds(int ms) {
        return String.format("%.3f", ms / 1000.0);
    }

    private static void run(Path dir, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int code = process.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", command) + " exited " + code + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The PCM of a 16 kHz mono 16-bit WAV file. */
    static byte[] wavData(Path file) throws IOException {
        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        wav.position(12);
        while (wav.remaining() >= 8) {
            String id = new String(new byte[] {wav.get(), wav.get(), wav.get(), wav.get()}, StandardCharsets.US_ASCII);
            int size = wav.getInt();
            if (id.equals("fmt ")) {
                assertThat(wav.getShort(wav.position())).as("PCM").isEqualTo((short) 1);
                assertThat(wav.getShort(wav.position() + 2)).as("mono").isEqualTo((short) 1);
                assertThat(wav.getInt(wav.position() + 4)).as("rate").isEqualTo(RATE);
            }
            if (id.equals("data")) {
                byte[] data = new byte[Math.min(size, wav.remaining()) & ~1];
                wav.get(data);
                return data;
            }
            wav.position(wav.position() + size + (size & 1));
        }
        throw new IOException("no data chunk in " + file);
    }
}

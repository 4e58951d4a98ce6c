package dev.voxline.stt.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Real speech for tests: {@code espeak-ng} phrases made 16 kHz PCM16LE mono with {@code sox}, at test time. */
public final class SpokenPhrases {

    public static final int RATE = 16_000;
    /** 20 ms of 16 kHz PCM16. */
    public static final int FRAME_BYTES = 640;

    public static final List<String> PHRASES = List.of(
            "turn the lights on in the kitchen",
            "what is the weather like today",
            "please call my mother tomorrow morning",
            "how much does the blue car cost",
            "set an alarm for seven thirty");

    private SpokenPhrases() {
    }

    /**
     * {@code text} spoken, with {@code padSeconds} of silence either side (VAD hands STT its pre-roll too).
     */
    public static byte[] speak(Path dir, String text, double padSeconds) throws IOException, InterruptedException {
        String name = "p" + Integer.toHexString(text.hashCode());
        Path wav = dir.resolve(name + ".wav");
        Path raw = dir.resolve(name + ".raw");
        run(dir, "espeak-ng", "-v", "en-us", "-s", "170", "-w", wav.toString(), text);
        run(dir, "sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw",
                raw.toString(), "pad", Double.toString(padSeconds), Double.toString(padSeconds));
        return Files.readAllBytes(raw);
    }

    /** {@code ms} of digital silence. */
    public static byte[] silence(int ms) {
        return new byte[RATE * 2 / 1000 * ms];
    }

    public static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** The audio as 20 ms chunks, as the pipeline carries it. */
    public static List<byte[]> frames(byte[] pcm) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < pcm.length; i += FRAME_BYTES) {
            frames.add(Arrays.copyOfRange(pcm, i, Math.min(pcm.length, i + FRAME_BYTES)));
        }
        return frames;
    }

    public static double durationMs(byte[] pcm) {
        return pcm.length * 1000.0 / (RATE * 2);
    }

    public static List<String> words(String text) {
        String clean = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim();
        return clean.isEmpty() ? List.of() : List.of(clean.split("\\s+"));
    }

    /** Word edit distance between a reference and a hypothesis (substitutions + deletions + insertions). */
    public static int wordErrors(List<String> reference, List<String> hypothesis) {
        int[][] d = new int[reference.size() + 1][hypothesis.size() + 1];
        for (int i = 0; i <= reference.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= hypothesis.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= reference.size(); i++) {
            for (int j = 1; j <= hypothesis.size(); j++) {
                int cost = reference.get(i - 1).equals(hypothesis.get(j - 1)) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        return d[reference.size()][hypothesis.size()];
    }

    /** How many reference words the hypothesis holds (each hypothesis word counts once). */
    public static int wordsRecalled(List<String> reference, List<String> hypothesis) {
        List<String> left = new ArrayList<>(hypothesis);
        int found = 0;
        for (String word : reference) {
            if (left.remove(word)) {
                found++;
            }
        }
        return found;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}

package dev.voxline.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A PCM16 mono WAV file: its sample rate and its samples (the warm-up phrase, the tests' fixtures). */
record Wav(int sampleRate, byte[] pcm) {

    /** A test fixture: {@code /audio/<name>} on the class path. */
    static Wav resource(String name) {
        return classPath("/audio/" + name);
    }

    /** The WAV at {@code path} on the class path, e.g. {@code /warm-up/what-time-is-it.wav}. */
    static Wav classPath(String path) {
        try (InputStream in = Wav.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no audio " + path + " on the class path");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    static Wav parse(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int position = 12;
        int sampleRate = 0;
        while (position + 8 <= file.length) {
            String id = new String(file, position, 4, StandardCharsets.US_ASCII);
            int size = buffer.getInt(position + 4);
            if (id.equals("fmt ")) {
                if (buffer.getShort(position + 8) != 1 || buffer.getShort(position + 10) != 1
                        || buffer.getShort(position + 22) != 16) {
                    throw new IllegalArgumentException("the WAV must be PCM16 mono");
                }
                sampleRate = buffer.getInt(position + 12);
            } else if (id.equals("data")) {
                int end = Math.min(file.length, position + 8 + size);
                return new Wav(sampleRate, Arrays.copyOfRange(file, position + 8, end));
            }
            position += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk");
    }

    long durationMs() {
        return pcm.length * 1000L / (2L * sampleRate);
    }
}

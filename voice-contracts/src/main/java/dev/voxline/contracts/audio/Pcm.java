package dev.voxline.contracts.audio;

import java.util.Arrays;
import java.util.function.Consumer;

/** Helpers for PCM16LE mono audio. */
public final class Pcm {

    /** The frame the gateway re-chunks input audio into. */
    public static final int FRAME_MS = 20;

    private Pcm() {
    }

    public static int frameBytes(int sampleRate, int ms) {
        return (int) ((long) sampleRate * ms / 1000) * 2;
    }

    public static long durationMs(long bytes, int sampleRate) {
        return bytes * 1000 / (2L * sampleRate);
    }

    public static boolean isWholeSamples(int bytes) {
        return bytes % 2 == 0;
    }

    public static short[] toSamples(byte[] pcm, int offset, int length) {
        short[] out = new short[length / 2];
        for (int i = 0; i < out.length; i++) {
            int lo = pcm[offset + 2 * i] & 0xff;
            int hi = pcm[offset + 2 * i + 1];
            out[i] = (short) ((hi << 8) | lo);
        }
        return out;
    }

    public static short[] toSamples(byte[] pcm) {
        return toSamples(pcm, 0, pcm.length);
    }

    public static byte[] toBytes(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    /** Root-mean-square level in dBFS (0 = full scale); -120 for digital silence. */
    public static double rmsDbfs(byte[] pcm) {
        short[] samples = toSamples(pcm);
        if (samples.length == 0) {
            return -120;
        }
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / samples.length) / 32768.0;
        return rms <= 1e-6 ? -120 : 20 * Math.log10(rms);
    }

    /**
     * Linear-interpolation resampler. Good enough for speech going into VAD/STT at 16 kHz; a
     * {@link Resampler} instance keeps the fractional position across chunks so streams have no seams.
     */
    public static final class Resampler {
        private final int fromRate;
        private final int toRate;
        private double position;
        private short previous;
        private boolean hasPrevious;

        public Resampler(int fromRate, int toRate) {
            if (fromRate <= 0 || toRate <= 0) {
                throw new IllegalArgumentException("sample rates must be positive");
            }
            this.fromRate = fromRate;
            this.toRate = toRate;
        }

        public byte[] process(byte[] pcm) {
            if (fromRate == toRate) {
                return pcm;
            }
            short[] in = toSamples(pcm);
            if (in.length == 0) {
                return new byte[0];
            }
            // Work on [previous, in...] so interpolation spans chunk boundaries.
            int offset = hasPrevious ? 1 : 0;
            double step = (double) fromRate / toRate;
            short[] out = new short[(int) Math.ceil((in.length + offset) / step) + 1];
            int n = 0;
            double limit = in.length + offset - 1;
            while (position <= limit) {
                int i = (int) position;
                double frac = position - i;
                short a = sample(in, i, offset);
                short b = i + 1 <= limit ? sample(in, i + 1, offset) : a;
                out[n++] = (short) Math.round(a + (b - a) * frac);
                position += step;
            }
            position -= (in.length + offset - 1);
            previous = in[in.length - 1];
            hasPrevious = true;
            short[] exact = new short[n];
            System.arraycopy(out, 0, exact, 0, n);
            return toBytes(exact);
        }

        private short sample(short[] in, int index, int offset) {
            if (offset == 1 && index == 0) {
                return previous;
            }
            return in[index - offset];
        }
    }

    /**
     * Cuts a stream of arbitrary-length PCM chunks into fixed-size frames, keeping the remainder for the next
     * chunk. Not thread-safe: one per session.
     */
    public static final class Rechunker {
        private final int frameBytes;
        private final byte[] pending;
        private int pendingLength;

        public Rechunker(int frameBytes) {
            this.frameBytes = frameBytes;
            this.pending = new byte[frameBytes];
        }

        public void accept(byte[] pcm, Consumer<byte[]> frameSink) {
            int offset = 0;
            while (offset < pcm.length) {
                int take = Math.min(frameBytes - pendingLength, pcm.length - offset);
                System.arraycopy(pcm, offset, pending, pendingLength, take);
                pendingLength += take;
                offset += take;
                if (pendingLength == frameBytes) {
                    frameSink.accept(pending.clone());
                    pendingLength = 0;
                }
            }
        }

        /** The remainder, if any, goes to {@code frameSink} as a last, short frame (the stream has ended). */
        public void flush(Consumer<byte[]> frameSink) {
            if (pendingLength > 0) {
                byte[] last = Arrays.copyOf(pending, pendingLength);
                pendingLength = 0;
                frameSink.accept(last);
            }
        }

        /** Drops the remainder: the next chunk starts a new frame. */
        public void clear() {
            pendingLength = 0;
        }

        public int pendingBytes() {
            return pendingLength;
        }
    }
}

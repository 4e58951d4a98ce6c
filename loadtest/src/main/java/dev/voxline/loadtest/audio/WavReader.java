package dev.voxline.loadtest.audio;

import dev.voxline.contracts.audio.Pcm;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads any WAV the JDK can parse — integer PCM of 8, 16, 24 or 32 bits (either byte order), IEEE float of 32 or 64
 * bits, any rate, any number of channels — and turns it into what the gateway's pipeline uses: 16 kHz mono PCM16LE.
 * Channels are averaged; the rate is converted with {@link Pcm.Resampler}. The JDK parses the container
 * ({@code javax.sound.sampled}); the samples are decoded here so no JDK format converter has to exist for the pair.
 */
public final class WavReader {

    private WavReader() {
    }

    public static SpeechAudio read(Path file) throws UnreadableAudioException {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableAudioException(file + ": no such file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UnreadableAudioException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code in} must support mark/reset (wrap it in a {@link BufferedInputStream}). */
    public static SpeechAudio read(InputStream in, String name) throws UnreadableAudioException {
        AudioFormat format;
        byte[] data;
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(in)) {
            format = audio.getFormat();
            data = audio.readAllBytes();
        } catch (UnsupportedAudioFileException e) {
            throw new UnreadableAudioException(name + ": not a WAV file this client can read (" + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new UnreadableAudioException(name + ": cannot read: " + e.getMessage(), e);
        }
        short[] mono = downmix(data, format, name);
        int rate = Math.round(format.getSampleRate());
        if (rate <= 0) {
            throw new UnreadableAudioException(name + ": the file does not say its sample rate");
        }
        byte[] pcm = new Pcm.Resampler(rate, SpeechAudio.SAMPLE_RATE).process(Pcm.toBytes(mono));
        return new SpeechAudio(pcm, describe(name, format));
    }

    static short[] downmix(byte[] data, AudioFormat format, String name) throws UnreadableAudioException {
        AudioFormat.Encoding encoding = format.getEncoding();
        int bits = format.getSampleSizeInBits();
        int channels = format.getChannels();
        int bytesPerSample = (bits + 7) / 8;
        boolean isFloat = AudioFormat.Encoding.PCM_FLOAT.equals(encoding);
        boolean signed = AudioFormat.Encoding.PCM_SIGNED.equals(encoding);
        boolean unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(encoding);
        boolean supported = channels > 0 && (isFloat ? bits == 32 || bits == 64
                : (signed || unsigned) && bits >= 8 && bits <= 32 && bits % 8 == 0);
        if (!supported) {
            throw new UnreadableAudioException(name + ": unsupported audio encoding " + encoding + ", " + bits
                    + " bits, " + channels + " channel(s); use PCM (8-32 bit) or float WAV");
        }
        int frameBytes = bytesPerSample * channels;
        int frames = data.length / frameBytes;
        short[] out = new short[frames];
        boolean bigEndian = format.isBigEndian();
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int offset = f * frameBytes + c * bytesPerSample;
                sum += isFloat ? floatSample(data, offset, bits, bigEndian)
                        : intSample(data, offset, bytesPerSample, bigEndian, unsigned);
            }
            out[f] = toShort(sum / channels);
        }
        return out;
    }

    /** An integer sample scaled to [-1, 1). */
    private static double intSample(byte[] data, int offset, int bytes, boolean bigEndian, boolean unsigned) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            int b = data[offset + (bigEndian ? i : bytes - 1 - i)] & 0xff;
            value = (value << 8) | b;
        }
        int bits = bytes * 8;
        if (unsigned) {
            value -= 1L << (bits - 1);
        } else if ((value & (1L << (bits - 1))) != 0) {
            value -= 1L << bits;
        }
        return value / (double) (1L << (bits - 1));
    }

    private static double floatSample(byte[] data, int offset, int bits, boolean bigEndian) {
        int bytes = bits / 8;
        long raw = 0;
        for (int i = 0; i < bytes; i++) {
            int b = data[offset + (bigEndian ? i : bytes - 1 - i)] & 0xff;
            raw = (raw << 8) | b;
        }
        double value = bits == 32 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
        return Double.isNaN(value) ? 0 : value;
    }

    private static short toShort(double value) {
        long scaled = Math.round(value * 32768.0);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, scaled));
    }

    private static String describe(String name, AudioFormat format) {
        String encoding = AudioFormat.Encoding.PCM_FLOAT.equals(format.getEncoding()) ? "float" : "PCM";
        String channels = format.getChannels() == 1 ? "mono" : format.getChannels() == 2 ? "stereo"
                : format.getChannels() + " channels";
        return String.format(Locale.ROOT, "%s: %s Hz %s %d-bit %s", name,
                trimRate(format.getSampleRate()), channels, format.getSampleSizeInBits(), encoding);
    }

    private static String trimRate(float rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Float.toString(rate);
    }
}

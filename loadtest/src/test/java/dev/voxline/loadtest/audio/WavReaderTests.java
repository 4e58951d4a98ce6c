package dev.voxline.loadtest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.contracts.audio.Pcm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTests {

    /** RMS level of a full-period sine of amplitude 0.5: 20·log10(0.5/√2). */
    private static final double HALF_SCALE_SINE_DBFS = 20 * Math.log10(0.5 / Math.sqrt(2));

    @TempDir
    Path dir;

    @Test
    void eightBitUnsigned8kHzBecomes16kHzOfTheSameDuration() throws Exception {
        int rate = 8_000;
        double[] signal = sine(rate, 1.0, 0.5);
        byte[] data = new byte[signal.length];
        for (int i = 0; i < signal.length; i++) {
            data[i] = (byte) (Math.round(signal[i] * 127) + 128);
        }
        Path wav = writePcm("u8.wav", data, new AudioFormat(AudioFormat.Encoding.PCM_UNSIGNED, rate, 8, 1, 1, rate,
                false));

        SpeechAudio audio = WavReader.read(wav);

        assertThat(audio.samples()).isCloseTo(16_000, within(2));
        assertThat(audio.durationMs()).isCloseTo(1000L, within(1L));
        assertThat(Pcm.rmsDbfs(middle(audio.pcm()))).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
        assertThat(audio.source()).contains("8000 Hz mono 8-bit PCM");
    }

    @Test
    void twentyFourBitStereo48kHzIsDownmixedAndResampled() throws Exception {
        int rate = 48_000;
        double[] left = sine(rate, 0.5, 0.5);
        byte[] data = new byte[left.length * 6];
        for (int i = 0; i < left.length; i++) {
            int l = (int) Math.round(left[i] * 8_388_607);
            int r = 0; // silent right channel: the mix is the left at half level
            put24(data, i * 6, l);
            put24(data, i * 6 + 3, r);
        }
        Path wav = writePcm("s24.wav", data, new AudioFormat(rate, 24, 2, true, false));

        SpeechAudio audio = WavReader.read(wav);

        assertThat(audio.samples()).isCloseTo(8_000, within(2));
        // half of a half-scale sine: 6 dB below it
        assertThat(Pcm.rmsDbfs(middle(audio.pcm()))).isCloseTo(HALF_SCALE_SINE_DBFS - 6.02, within(0.5));
    }

    @Test
    void stereo44_1kHzIsTheMeanOfItsChannels() throws Exception {
        int rate = 44_100;
        double[] signal = sine(rate, 2.0, 0.5);
        ByteBuffer opposite = ByteBuffer.allocate(signal.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer same = ByteBuffer.allocate(signal.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double s : signal) {
            short v = (short) Math.round(s * 32767);
            opposite.putShort(v).putShort((short) -v);
            same.putShort(v).putShort(v);
        }
        AudioFormat format = new AudioFormat(rate, 16, 2, true, false);

        SpeechAudio cancelled = WavReader.read(writePcm("opposite.wav", opposite.array(), format));
        SpeechAudio kept = WavReader.read(writePcm("same.wav", same.array(), format));

        assertThat(cancelled.samples()).isCloseTo(32_000, within(2));
        assertThat(kept.durationMs()).isCloseTo(2000L, within(1L));
        assertThat(Pcm.rmsDbfs(cancelled.pcm())).isEqualTo(-120.0);
        assertThat(Pcm.rmsDbfs(middle(kept.pcm()))).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
        assertThat(kept.source()).contains("44100 Hz stereo 16-bit PCM");
    }

    @Test
    void thirtyTwoBitFloatWavIsRead() throws Exception {
        int rate = 22_050;
        double[] signal = sine(rate, 1.5, 0.5);
        ByteBuffer samples = ByteBuffer.allocate(signal.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double s : signal) {
            samples.putFloat((float) s);
        }
        Path wav = dir.resolve("float.wav");
        Files.write(wav, floatWav(rate, 1, samples.array()));

        SpeechAudio audio = WavReader.read(wav);

        assertThat(audio.samples()).isCloseTo(24_000, within(2));
        assertThat(Pcm.rmsDbfs(middle(audio.pcm()))).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
        assertThat(audio.source()).contains("22050 Hz mono 32-bit float");
    }

    @Test
    void thirtyTwoBitIntegerWavIsRead() throws Exception {
        int rate = 16_000;
        double[] signal = sine(rate, 0.25, 0.5);
        ByteBuffer samples = ByteBuffer.allocate(signal.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double s : signal) {
            samples.putInt((int) Math.round(s * Integer.MAX_VALUE));
        }
        SpeechAudio audio = WavReader.read(writePcm("s32.wav", samples.array(),
                new AudioFormat(rate, 32, 1, true, false)));

        assertThat(audio.samples()).isEqualTo(4_000);
        assertThat(Pcm.rmsDbfs(middle(audio.pcm()))).isCloseTo(HALF_SCALE_SINE_DBFS, within(0.5));
    }

    @Test
    void sixteenKiloHertzMonoSixteenBitPassesThroughUnchanged() throws Exception {
        short[] samples = {0, 1, -1, 32767, -32768, 1234, -4321};
        byte[] pcm = Pcm.toBytes(samples);
        SpeechAudio audio = WavReader.read(writePcm("same.wav", pcm, new AudioFormat(16_000, 16, 1, true, false)));

        assertThat(audio.pcm()).isEqualTo(pcm);
    }

    @Test
    void aFileThatIsNotAudioIsReportedWithItsName() throws Exception {
        Path notWav = dir.resolve("notes.wav");
        Files.writeString(notWav, "this is not a RIFF file, just some text that is long enough", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WavReader.read(notWav))
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessageContaining("notes.wav")
                .hasMessageContaining("not a WAV file");
    }

    @Test
    void aMissingFileIsReported() {
        assertThatThrownBy(() -> WavReader.read(dir.resolve("missing.wav")))
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessageEndingWith("missing.wav: no such file");
    }

    // ---- helpers

    private static double[] sine(int rate, double seconds, double amplitude) {
        int n = (int) Math.round(rate * seconds);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = amplitude * Math.sin(2 * Math.PI * 440 * i / rate);
        }
        return out;
    }

    /** The middle half of the audio, away from the resampler's first and last samples. */
    private static byte[] middle(byte[] pcm) {
        int quarter = pcm.length / 4 & ~1;
        byte[] out = new byte[pcm.length / 2 & ~1];
        System.arraycopy(pcm, quarter, out, 0, out.length);
        return out;
    }

    private static void put24(byte[] data, int offset, int value) {
        data[offset] = (byte) value;
        data[offset + 1] = (byte) (value >> 8);
        data[offset + 2] = (byte) (value >> 16);
    }

    private Path writePcm(String name, byte[] data, AudioFormat format) throws IOException {
        Path file = dir.resolve(name);
        long frames = data.length / format.getFrameSize();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** A WAVE_FORMAT_IEEE_FLOAT (format tag 3) file, written by hand: the JDK writes no float WAVs. */
    private static byte[] floatWav(int rate, int channels, byte[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 3).putShort((short) channels).putInt(rate).putInt(rate * channels * 4)
                .putShort((short) (channels * 4)).putShort((short) 32)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples.length).put(samples);
        return b.array();
    }
}

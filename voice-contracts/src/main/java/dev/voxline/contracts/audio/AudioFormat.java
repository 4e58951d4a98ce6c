package dev.voxline.contracts.audio;

/**
 * A raw PCM format. Voxline moves only signed 16-bit little-endian mono audio; the record keeps the fields
 * explicit so clients can check them.
 */
public record AudioFormat(String encoding, int sampleRate, int channels) {

    public static final String PCM_S16LE = "pcm_s16le";
    /** The pipeline's internal rate: every stage after the gateway sees 16 kHz. */
    public static final int PIPELINE_RATE = 16_000;
    public static final AudioFormat PIPELINE = pcm16(PIPELINE_RATE);

    public static AudioFormat pcm16(int sampleRate) {
        return new AudioFormat(PCM_S16LE, sampleRate, 1);
    }

    public int bytesPerMs() {
        return sampleRate * 2 / 1000;
    }
}

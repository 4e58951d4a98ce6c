package dev.voxline.tts.engine;

/**
 * A signal that sounds like a voice rather than a beep and behaves like one for the pipeline (level, spectrum,
 * rhythm): a fundamental gliding between 120 and 200 Hz, four harmonics falling off as 1/k, a 4 Hz "syllable"
 * envelope, and 5 ms fades at both ends so chunks of consecutive clauses do not click. Generated chunk by chunk
 * with continuous phase. Not thread-safe: one per synthesis.
 */
public final class VoiceLikeSignal {

    private static final int HARMONICS = 5;
    private static final double SYLLABLE_HZ = 4;
    /** max over φ of Σ sin(kφ)/k, k = 1..5: normalises the peak to the requested level. */
    private static final double WAVE_PEAK = wavePeak();

    private final int sampleRate;
    private final long totalSamples;
    private final double amplitude;
    private final long fadeSamples;
    private long position;
    private double phase;

    public VoiceLikeSignal(int sampleRate, long totalSamples, double peakDbfs) {
        this.sampleRate = sampleRate;
        this.totalSamples = totalSamples;
        this.amplitude = Math.pow(10, peakDbfs / 20) * 32767 / WAVE_PEAK;
        this.fadeSamples = Math.max(1, sampleRate / 200);
    }

    /** The next {@code count} samples (fewer at the end); an empty array once all were produced. */
    public short[] next(int count) {
        int n = (int) Math.max(0, Math.min(count, totalSamples - position));
        short[] out = new short[n];
        for (int i = 0; i < n; i++, position++) {
            double t = (double) position / sampleRate;
            double f0 = 160 + 40 * Math.sin(2 * Math.PI * 0.5 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            if (phase > 2 * Math.PI) {
                phase -= 2 * Math.PI;
            }
            double wave = 0;
            for (int k = 1; k <= HARMONICS; k++) {
                wave += Math.sin(k * phase) / k;
            }
            double syllable = 0.15 + 0.85 * (0.5 - 0.5 * Math.cos(2 * Math.PI * SYLLABLE_HZ * t));
            double fade = Math.min(1, Math.min(position, totalSamples - 1 - position) / (double) fadeSamples);
            out[i] = (short) Math.round(amplitude * wave * syllable * fade);
        }
        return out;
    }

    public boolean finished() {
        return position >= totalSamples;
    }

    private static double wavePeak() {
        double peak = 0;
        for (int i = 0; i < 20_000; i++) {
            double phi = 2 * Math.PI * i / 20_000;
            double wave = 0;
            for (int k = 1; k <= HARMONICS; k++) {
                wave += Math.sin(k * phi) / k;
            }
            peak = Math.max(peak, Math.abs(wave));
        }
        return peak;
    }
}

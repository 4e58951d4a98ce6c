package dev.voxline.gateway.echo;

/**
 * The energies of a run of PCM16LE samples in three bands (the {@link EchoGate}'s view of a signal): one-pole
 * low-passes at 500 Hz and 2 kHz split each sample into low (below the first corner), mid (between them) and high
 * (above the second). The filters run on from one run to the next, as the runs are one signal; their corners follow
 * the sample rate, so a 24 or 48 kHz reply compares with 16 kHz input.
 *
 * <p>Sums of squares, not yet divided by the rate: the caller turns them into energy × duration. No allocation.
 */
final class BandSplit {

    private static final double LOW_SPLIT_HZ = 500;
    private static final double HIGH_SPLIT_HZ = 2_000;

    private int sampleRate;
    private double lowCoef;
    private double highCoef;
    /** The filters' outputs after the last sample. */
    private double lowPass;
    private double highPass;
    // the last run's sums of squares
    private double full;
    private double low;
    private double mid;
    private double high;

    BandSplit(int sampleRate) {
        tune(sampleRate);
    }

    /** Sets the corners for another sample rate; the filters keep their state. */
    void tune(int rate) {
        if (rate != sampleRate) {
            sampleRate = rate;
            lowCoef = coefficient(rate, LOW_SPLIT_HZ);
            highCoef = coefficient(rate, HIGH_SPLIT_HZ);
        }
    }

    /** Measures samples {@code from} (inclusive) to {@code to} (exclusive) of {@code pcm}. */
    void measure(byte[] pcm, int from, int to) {
        double lp = lowPass;
        double hp = highPass;
        double eFull = 0;
        double eLow = 0;
        double eMid = 0;
        double eHigh = 0;
        for (int i = from; i < to; i++) {
            double x = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8)) / 32768.0;
            lp += lowCoef * (x - lp);
            hp += highCoef * (x - hp);
            double m = hp - lp;
            double top = x - hp;
            eFull += x * x;
            eLow += lp * lp;
            eMid += m * m;
            eHigh += top * top;
        }
        lowPass = lp;
        highPass = hp;
        full = eFull;
        low = eLow;
        mid = eMid;
        high = eHigh;
    }

    /** The whole signal's sum of squares over the last run. */
    double full() {
        return full;
    }

    double low() {
        return low;
    }

    double mid() {
        return mid;
    }

    double high() {
        return high;
    }

    /** One-pole low-pass coefficient for a corner at {@code hz}. */
    private static double coefficient(int sampleRate, double hz) {
        return 1 - Math.exp(-2 * Math.PI * hz / sampleRate);
    }
}

package dev.voxline.gateway.echo;

/**
 * Decides whether a 20 ms caller frame is only the agent's own reply coming back through the caller's microphone
 * (a speakerphone without echo cancellation): attenuated, delayed by the acoustic path, the client's buffers and the
 * network, and therefore explained by reply audio that was playing shortly before the frame was captured.
 *
 * <p><b>Method.</b> Both signals are reduced to energies on one 5 ms playback-time grid, in three bands (one-pole
 * splits at 500 Hz and 2 kHz, rate-aware, so a 24 or 48 kHz reply is comparable with 16 kHz input):
 * <ol>
 *   <li>Reply frames are written into a ring of 5 ms slots at the time the caller hears them.</li>
 *   <li>The echo path delay is found by a normalised (Pearson) correlation of the input's spectral flux with the
 *       reply's: per slot, the rise of each band's log-energy over the last 10 ms, the three bands one vector, so
 *       the delay is pinned by phonemes changing the spectrum even where the overall loudness is flat (MaryTTS:
 *       its loudness envelope peaked so broadly that the delay crept towards the true one 5 ms at a time). The
 *       sums are exponentially forgotten (≈ 2 s memory) for every lag from 0 to {@value #MAX_LAG_MS} ms, and
 *       shrunk to {@value #TURN_KEEP} of themselves when reply audio starts again after a stretch without, because
 *       each turn starts at another phase of the client's playout; the best lag, once its correlation passes
 *       {@value #LOCK_CORRELATION}, is the delay, and it follows the peak as the path drifts. No echo means no
 *       peak, and then nothing is gated.</li>
 *   <li>The echo return loss is learnt per band at that delay, in bounded steps that fall faster than they rise,
 *       from frames the echo explains; other frames may only raise it by a crawl, so the caller talking over the
 *       echo barely moves it.</li>
 *   <li>A frame is echo when, in every band and every 5 ms slot, its energy is within {@value #ECHO_MARGIN_DB} dB
 *       of what the delayed reply predicts (the loudest of three 5 ms alignments, for jitter and delays between
 *       slots) plus the input's noise floor. The caller's voice over the agent adds energy in some band or slot
 *       that the reply cannot explain, so it passes; only frames in which the echo is louder than the caller
 *       are gated. Every frame goes into the delay search: the caller's voice correlates with no lag of the
 *       reply, and an echo whose delay moved (each turn starts at another phase of the client's playout) is only
 *       found again from the frames the old delay fails to explain. Frames not explained may only raise the loss,
 *       by a crawl (double talk must not teach the gate the caller's voice). Before the delay is known (the first
 *       ≈ {@value #LEARN_MS} ms of reply audio in a session) a cautious prior is
 *       used: the loudest reply in the whole lag window at {@value #PRIOR_ERL_DB} dB.</li>
 * </ol>
 * Outside reply audio and its echo tail ({@value #MAX_LAG_MS} ms) nothing is gated.
 *
 * <p><b>Cost.</b> Per 20 ms frame while reply audio is audible: two one-pole filters and four squares per input
 * sample (320) and per reply sample (320 at 16 kHz, 960 at 48 kHz), a logarithm per band and 5 ms input slot (two
 * per band and reply slot), and
 * 5 multiply-adds × {@value #MAX_LAG_MS}/5 lags × 4 slots for the correlation plus a division per lag for the
 * delay; no allocation. Measured 4–5 µs per frame (reply frame and caller frame, 16 kHz; 3–5 µs before the flux,
 * the machine busy) on the 2-core development machine, about 0.03 % of a core per session;
 * {@code EchoGateBenchmarkTests} prints the figure. Outside reply audio and its tail a frame costs the input
 * filters and its band logarithms only.
 *
 * <p>Not thread-safe: one per session, and the session serialises calls.
 */
public final class EchoGate {

    static final int SLOT_US = 5_000;
    static final int INPUT_RATE = 16_000;
    static final int INPUT_FRAME_SAMPLES = 320;
    static final int SLOTS_PER_FRAME = 4;
    static final int SLOT_SAMPLES = INPUT_FRAME_SAMPLES / SLOTS_PER_FRAME;
    static final int MAX_LAG_MS = 400;
    /**
     * Flux correlates lower than a loudness envelope did (background noise has flux, an echo between two slots
     * splits its peak): a true echo peaks at 0.45–0.85, other lags stay within ±0.2 but for the peak's neighbours.
     */
    static final double LOCK_CORRELATION = 0.35;
    /**
     * What the delay search keeps of its sums when reply audio starts again after a stretch without: each turn
     * starts at another phase of the client's playout, so the last turn's delay must not outweigh the new one's
     * first words (kept whole, the last turn held a stale delay a second into MaryTTS replies: 8 of 9 false
     * barge-ins in {@code EchoPipelineTimingTests}; 0.1 gave 1, 0 to 0.05 none).
     */
    static final double TURN_KEEP = 0.03;
    static final double ECHO_MARGIN_DB = 3;
    static final double PRIOR_ERL_DB = 0;
    static final int LEARN_MS = 1_000;

    private static final int BANDS = 3;
    /** Flux is the rise over 10 ms: over 5 ms it is so white that an echo between two slots correlates with neither. */
    private static final int FLUX_SPAN = 2;
    /** Input log-energies kept for the flux (a power of two above {@link #FLUX_SPAN}). */
    private static final int IN_HISTORY = 4;
    private static final int LAGS = MAX_LAG_MS * 1_000 / SLOT_US;
    /** Enough slots for the lag window, the pacer's lead (≤ 200 ms) ahead of the input, and slack. */
    private static final int RING = 256;
    private static final int MASK = RING - 1;
    /** Slots of reply audio after which, still without a correlation peak, the caller counts as not echoing. */
    private static final int LEARN_SLOTS = LEARN_MS * 1_000 / SLOT_US;
    /** About 2 s of memory for the correlation sums: long enough to be stable, short enough to follow a change. */
    private static final double FORGET = 1 - 1.0 / 400;
    private static final double UNLOCK_CORRELATION = 0.2;
    /** A better lag must beat the current delay by this much: the delay does not flicker between neighbours. */
    private static final double SWITCH_MARGIN = 0.01;
    private static final double ECHO_MARGIN = Math.pow(10, ECHO_MARGIN_DB / 10);
    /** The noise floor is allowed this much (6 dB): a frame of plain background noise is never "speech". */
    private static final double NOISE_MARGIN = 4;
    /** Energies below this (≈ −90 dBFS over a slot) are treated as silence in the log envelope. */
    private static final double ENERGY_FLOOR = 1e-9 * SLOT_US / 1e6;
    private static final double LOG_CENTRE = -70;
    private static final double MIN_ERL_DB = -45;
    private static final double MAX_ERL_DB = 10;
    private static final double ERL_FALL = 0.3;
    private static final double ERL_RISE = 0.2;
    private static final double ERL_CRAWL = 0.003;
    private static final double ERL_MAX_STEP_DB = 3;
    /** Noise floor: follows a quieter frame at once, rises ≈ 1 dB/s, so speech pauses keep it honest. */
    private static final double NOISE_RISE = Math.pow(10, 1.0 / 10 / 50);

    // ---- reply (reference) ring, indexed by absolute 5 ms playback slot
    private final double[] refBand = new double[RING * BANDS];
    /** Per slot: the band log-energies' rise over {@link #FLUX_SPAN} slots (3 values), their sum and sum of squares. */
    private final double[] refFlux = new double[RING * BANDS];
    private final double[] refFluxSum = new double[RING];
    private final double[] refFluxSq = new double[RING];
    private final boolean[] refFluxDone = new boolean[RING];
    private long refHead = Long.MIN_VALUE;
    private long refLastAudible = Long.MIN_VALUE;
    private final BandSplit refSplit = new BandSplit(INPUT_RATE);

    // ---- input
    private final BandSplit inSplit = new BandSplit(INPUT_RATE);
    private final double[] slotBand = new double[SLOTS_PER_FRAME * BANDS];
    private final double[] frameBand = new double[BANDS];
    private final double[] noise = new double[BANDS];
    /** The input's band log-energies of the last {@link #IN_HISTORY} slots, for its flux. */
    private final double[] inLog = new double[BANDS * IN_HISTORY];
    private int inLogPos;
    private boolean noiseKnown;

    // ---- delay search: exponentially forgotten sums per lag
    private double weight;
    private double sumX;
    private double sumXX;
    private final double[] sumR = new double[LAGS];
    private final double[] sumRR = new double[LAGS];
    private final double[] sumXR = new double[LAGS];
    private int delaySlots = -1;
    private double delayCorrelation;
    private int learntSlots;
    private boolean wasAudible;

    // ---- echo return loss per band, in dB
    private final double[] erlDb = {PRIOR_ERL_DB, PRIOR_ERL_DB, PRIOR_ERL_DB};
    private final double[] predicted = new double[BANDS];
    private final double[] around = new double[SLOTS_PER_FRAME + 2];

    /**
     * A reply frame was sent: PCM16LE mono at {@code sampleRate}, which the caller is expected to start hearing at
     * {@code playMicros} (the pacer's schedule, wall-clock epoch µs).
     */
    public void reply(byte[] pcm, int length, int sampleRate, long playMicros) {
        refSplit.tune(sampleRate);
        int samples = length / 2;
        if (samples == 0) {
            return;
        }
        long slot = Math.floorDiv(playMicros, SLOT_US);
        advanceRing(slot + (long) samples * 1_000_000 / sampleRate / SLOT_US + 1);
        for (int from = 0; ; slot++) {
            // The run heard within this slot ends where the next slot begins: playback µs of sample i is
            // playMicros + i·10⁶/rate.
            int to = Math.min(firstSampleAtOrAfter((slot + 1) * SLOT_US - playMicros, sampleRate), samples);
            refSplit.measure(pcm, from, to);
            addSlot(slot, refSplit, sampleRate);
            if (to == samples) {
                return;
            }
            from = to;
        }
    }

    /**
     * Whether a 20 ms caller frame (320 samples of 16 kHz PCM16LE) that the caller captured starting at
     * {@code startMicros} (same clock as {@link #reply}) is dominated by the agent's echo.
     */
    public boolean isEcho(byte[] frame, long startMicros) {
        if (frame.length != INPUT_FRAME_SAMPLES * 2) {
            throw new IllegalArgumentException("a caller frame is " + INPUT_FRAME_SAMPLES * 2 + " bytes, not "
                    + frame.length);
        }
        measureInput(frame);
        long firstSlot = Math.round((double) startMicros / SLOT_US);
        // Reply audio played within the lag window (the echo tail included): otherwise there is nothing to explain.
        boolean audible = refLastAudible != Long.MIN_VALUE && firstSlot - LAGS <= refLastAudible;
        if (!audible) {
            wasAudible = false;
            for (int j = 0; j < SLOTS_PER_FRAME; j++) {
                pushInLog(log(slotBand[j * BANDS]), log(slotBand[j * BANDS + 1]), log(slotBand[j * BANDS + 2]));
            }
            updateNoise();
            return false;
        }
        if (!wasAudible) {
            shrinkSums(TURN_KEEP);
        }
        wasAudible = true;
        boolean locked = delaySlots >= 0;
        boolean echo = locked ? explainedAtDelay(firstSlot)
                : learntSlots < LEARN_SLOTS && explainedByPrior(firstSlot);
        // Every frame goes into the delay search, explained or not: the caller's voice over the echo correlates with
        // no lag of the reply, so it lowers them all alike and cannot pull the delay, while frames the echo at a
        // moved delay (a new turn played at another phase, another path) fails to explain are exactly what the
        // search needs to find it again. Leaving those out kept a stale delay, and a loss learnt there, for good.
        for (int j = 0; j < SLOTS_PER_FRAME; j++) {
            correlate(firstSlot + j, j);
        }
        if (delaySlots < 0) {
            learntSlots += SLOTS_PER_FRAME;
        }
        trackDelay();
        updateNoise();
        return echo;
    }

    /** The echo path delay in ms, or -1 while none is known. */
    public int delayMs() {
        return delaySlots < 0 ? -1 : delaySlots * SLOT_US / 1_000;
    }

    /** The learnt echo return loss (dB) of band 0 (low), 1 (mid) or 2 (high). */
    public double erlDb(int band) {
        return erlDb[band];
    }

    // ---- reply ring

    /** Makes {@code slot} writable: slots that fall out of the ring are cleared. */
    private void advanceRing(long slot) {
        if (refHead != Long.MIN_VALUE && slot <= refHead) {
            return;
        }
        long from = refHead == Long.MIN_VALUE || slot - refHead > RING ? slot - RING + 1 : refHead + 1;
        for (long s = from; s <= slot; s++) {
            int i = (int) (s & MASK);
            refBand[i * BANDS] = 0;
            refBand[i * BANDS + 1] = 0;
            refBand[i * BANDS + 2] = 0;
            refFluxDone[i] = false;
        }
        refHead = slot;
    }

    private void addSlot(long slot, BandSplit run, int sampleRate) {
        if (slot <= refHead - RING) {
            return;
        }
        // Energy × duration (sum of squares ÷ rate): a slot filled by two frames, or at another rate, adds up.
        int i = (int) (slot & MASK);
        refBand[i * BANDS] += run.low() / sampleRate;
        refBand[i * BANDS + 1] += run.mid() / sampleRate;
        refBand[i * BANDS + 2] += run.high() / sampleRate;
        refFluxDone[i] = false;
        // The next slot's rise is measured from this one.
        for (int k = 1; k <= FLUX_SPAN; k++) {
            refFluxDone[(int) ((slot + k) & MASK)] = false;
        }
        if (run.full() > 0 && slot > refLastAudible) {
            refLastAudible = slot;
        }
    }

    private boolean inRing(long slot) {
        return refHead != Long.MIN_VALUE && slot <= refHead && slot > refHead - RING;
    }

    /** Index of {@code slot}'s flux in the ring (its three values from 3·index), computed on first use; -1 outside. */
    private int refFluxAt(long slot) {
        if (!inRing(slot)) {
            return -1;
        }
        int i = (int) (slot & MASK);
        if (!refFluxDone[i]) {
            double sum = 0;
            double sq = 0;
            for (int b = 0; b < BANDS; b++) {
                double f = log(refBandAt(slot, b)) - log(refBandAt(slot - FLUX_SPAN, b));
                refFlux[i * BANDS + b] = f;
                sum += f;
                sq += f * f;
            }
            refFluxSum[i] = sum;
            refFluxSq[i] = sq;
            refFluxDone[i] = true;
        }
        return i;
    }

    private double refBandAt(long slot, int band) {
        return inRing(slot) ? refBand[(int) (slot & MASK) * BANDS + band] : 0;
    }

    // ---- input

    private void measureInput(byte[] frame) {
        frameBand[0] = frameBand[1] = frameBand[2] = 0;
        for (int j = 0; j < SLOTS_PER_FRAME; j++) {
            inSplit.measure(frame, j * SLOT_SAMPLES, (j + 1) * SLOT_SAMPLES);
            slotBand[j * BANDS] = inSplit.low() / INPUT_RATE;
            slotBand[j * BANDS + 1] = inSplit.mid() / INPUT_RATE;
            slotBand[j * BANDS + 2] = inSplit.high() / INPUT_RATE;
            frameBand[0] += slotBand[j * BANDS];
            frameBand[1] += slotBand[j * BANDS + 1];
            frameBand[2] += slotBand[j * BANDS + 2];
        }
    }

    private void updateNoise() {
        for (int b = 0; b < BANDS; b++) {
            double e = Math.max(frameBand[b], ENERGY_FLOOR);
            noise[b] = !noiseKnown || e < noise[b] ? e : noise[b] * NOISE_RISE;
        }
        noiseKnown = true;
    }

    // ---- delay

    /**
     * Adds input slot {@code j} of the frame (playback slot {@code slot}) to the sums: the three band log-energies'
     * rise over {@link #FLUX_SPAN} slots, one vector of three observations, against the reply's at every lag.
     */
    private void correlate(long slot, int j) {
        double x0 = log(slotBand[j * BANDS]);
        double x1 = log(slotBand[j * BANDS + 1]);
        double x2 = log(slotBand[j * BANDS + 2]);
        int then = ((inLogPos - FLUX_SPAN) & (IN_HISTORY - 1)) * BANDS;
        double f0 = x0 - inLog[then];
        double f1 = x1 - inLog[then + 1];
        double f2 = x2 - inLog[then + 2];
        pushInLog(x0, x1, x2);
        weight = FORGET * weight + BANDS;
        sumX = FORGET * sumX + f0 + f1 + f2;
        sumXX = FORGET * sumXX + f0 * f0 + f1 * f1 + f2 * f2;
        for (int lag = 0; lag < LAGS; lag++) {
            int i = refFluxAt(slot - lag);
            double r = 0;
            double rr = 0;
            double xr = 0;
            if (i >= 0) {
                r = refFluxSum[i];
                rr = refFluxSq[i];
                xr = f0 * refFlux[i * BANDS] + f1 * refFlux[i * BANDS + 1] + f2 * refFlux[i * BANDS + 2];
            }
            sumR[lag] = FORGET * sumR[lag] + r;
            sumRR[lag] = FORGET * sumRR[lag] + rr;
            sumXR[lag] = FORGET * sumXR[lag] + xr;
        }
    }

    private void shrinkSums(double keep) {
        weight *= keep;
        sumX *= keep;
        sumXX *= keep;
        for (int lag = 0; lag < LAGS; lag++) {
            sumR[lag] *= keep;
            sumRR[lag] *= keep;
            sumXR[lag] *= keep;
        }
    }

    private double correlation(int lag) {
        double varX = weight * sumXX - sumX * sumX;
        double varR = weight * sumRR[lag] - sumR[lag] * sumR[lag];
        // Needs some envelope in both: a flat reply (silence) or flat input (noise) correlates with nothing.
        double minVar = weight * weight * 4;
        if (varX < minVar || varR < minVar) {
            return 0;
        }
        return (weight * sumXR[lag] - sumX * sumR[lag]) / Math.sqrt(varX * varR);
    }

    private void trackDelay() {
        // The best lag by cov·|cov| / varR, which orders lags as their correlation does (varX is common to all),
        // without a square root per lag; the correlation itself only for the winner.
        double varX = weight * sumXX - sumX * sumX;
        double minVar = weight * weight * 4;
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        if (varX >= minVar) {
            for (int lag = 0; lag < LAGS; lag++) {
                double varR = weight * sumRR[lag] - sumR[lag] * sumR[lag];
                if (varR < minVar) {
                    continue;
                }
                double cov = weight * sumXR[lag] - sumX * sumR[lag];
                double score = cov * Math.abs(cov) / varR;
                if (score > bestScore) {
                    bestScore = score;
                    best = lag;
                }
            }
        }
        double bestCorrelation = best < 0 ? 0 : correlation(best);
        if (delaySlots >= 0) {
            delayCorrelation = correlation(delaySlots);
            if (bestCorrelation > delayCorrelation + SWITCH_MARGIN) {
                delaySlots = best;
                delayCorrelation = bestCorrelation;
            }
            if (delayCorrelation < UNLOCK_CORRELATION) {
                // The path is gone (headset, muted speaker): stop gating until a peak shows again.
                delaySlots = -1;
                learntSlots = LEARN_SLOTS;
            }
        } else if (bestCorrelation >= LOCK_CORRELATION) {
            delaySlots = best;
            delayCorrelation = bestCorrelation;
        }
    }

    private void pushInLog(double x0, double x1, double x2) {
        int at = (inLogPos & (IN_HISTORY - 1)) * BANDS;
        inLog[at] = x0;
        inLog[at + 1] = x1;
        inLog[at + 2] = x2;
        inLogPos++;
    }

    // ---- decision

    private boolean explainedAtDelay(long firstSlot) {
        long refStart = firstSlot - delaySlots;
        boolean echo = true;
        for (int b = 0; b < BANDS; b++) {
            for (int k = 0; k < SLOTS_PER_FRAME + 2; k++) {
                around[k] = refBandAt(refStart - 1 + k, b);
            }
            double erl = Math.pow(10, erlDb[b] / 10);
            double slotNoise = noise[b] / SLOTS_PER_FRAME;
            double sum = 0;
            for (int j = 0; j < SLOTS_PER_FRAME; j++) {
                // Each 5 ms slot on its own: the caller's voice shows in the slot where it is louder than the echo
                // even when the frame as a whole is not. The loudest of three alignments (±5 ms) is the echo's
                // share, so jitter and the slot grid cannot make echo look new.
                double echoShare = Math.max(around[j], Math.max(around[j + 1], around[j + 2]));
                if (slotBand[j * BANDS + b] > ECHO_MARGIN * erl * echoShare + NOISE_MARGIN * slotNoise) {
                    echo = false;
                }
                sum += around[j + 1];
            }
            predicted[b] = sum;
        }
        learnErl(echo);
        return echo;
    }

    /**
     * Echo return loss per band, from frames where the delayed reply is clearly above the input's noise, against
     * the reply at the delay itself (not the loudest alignment, which would make it look lower at every onset and
     * let the estimate run away downwards). A frame the
     * echo does not explain may still be echo that got louder (the caller's gain control), so it may raise the
     * loss, but only by a crawl: it is far more often the caller talking.
     */
    private void learnErl(boolean explained) {
        for (int b = 0; b < BANDS; b++) {
            if (predicted[b] <= ENERGY_FLOOR * SLOTS_PER_FRAME || frameBand[b] < 4 * NOISE_MARGIN * noise[b]) {
                continue;
            }
            double observed = 10 * Math.log10(frameBand[b] / predicted[b]);
            if (!explained && observed < erlDb[b]) {
                // Not echo at this delay (the caller, or a path that moved): a frame quieter than predicted here
                // says nothing about the loss, and following it down would leave the real echo unexplained for good.
                continue;
            }
            double step = observed < erlDb[b] ? ERL_FALL * Math.max(observed - erlDb[b], -ERL_MAX_STEP_DB)
                    : (explained ? ERL_RISE : ERL_CRAWL) * Math.min(observed - erlDb[b], ERL_MAX_STEP_DB);
            erlDb[b] = Math.max(MIN_ERL_DB, Math.min(MAX_ERL_DB, erlDb[b] + step));
        }
    }

    private boolean explainedByPrior(long firstSlot) {
        double erl = Math.pow(10, PRIOR_ERL_DB / 10);
        for (int b = 0; b < BANDS; b++) {
            // Sliding four-slot sum over the whole lag window: the loudest reply the echo could be.
            double window = 0;
            double loudest = 0;
            long from = firstSlot - LAGS;
            for (int j = 0; j < SLOTS_PER_FRAME; j++) {
                window += refBandAt(from + j, b);
            }
            for (long s = from; s <= firstSlot; s++) {
                loudest = Math.max(loudest, window);
                window += refBandAt(s + SLOTS_PER_FRAME, b) - refBandAt(s, b);
            }
            if (frameBand[b] > ECHO_MARGIN * erl * loudest + NOISE_MARGIN * noise[b]) {
                return false;
            }
        }
        return true;
    }

    // ---- helpers

    private static int firstSampleAtOrAfter(long micros, int sampleRate) {
        return (int) Math.max(0, (micros * sampleRate + 999_999) / 1_000_000);
    }

    /** Log energy in dB, centred so the forgotten sums stay well-conditioned. */
    private static double log(double energy) {
        return 10 * Math.log10(Math.max(energy, ENERGY_FLOOR)) - LOG_CENTRE;
    }
}

package dev.voxline.gateway.echo;

import dev.voxline.contracts.audio.Pcm;
import java.util.Random;

/**
 * A speakerphone call on a virtual clock: the agent's reply plays from {@link #REPLY_START_MS}, comes back into the
 * microphone {@code levelDb} quieter and {@code delayMs} later over a little background noise, and the caller may
 * speak on top of it. {@link #run} feeds an {@link EchoGate} as the session would (reply frames up to 200 ms ahead
 * of their playback) and records its decision for every 20 ms input frame.
 */
final class EchoMix {

    static final int RATE = 16_000;
    static final int FRAME = 320;
    static final long EPOCH_US = 1_700_000_000_000_000L;
    static final int REPLY_START_MS = 200;
    static final double NOISE_DBFS = -65;
    /** A frame counts as voiced (speech, not a pause) from this level of the clean signal. */
    static final double VOICED_DBFS = -40;
    /** The energy threshold of a plain VAD: what would count as the caller's speech, and so as a barge-in. */
    static final double SPEECH_DBFS = -35;
    private static final int LEAD_MS = 200;

    final short[] reply;
    final short[] user;
    final int userStartMs;
    final double levelDb;
    final int delayMs;
    final short[] input;
    final int frames;

    /** {@code user} may be null (echo only); {@code reply} may be null (no reply playing). */
    EchoMix(short[] reply, double levelDb, int delayMs, short[] user, int userStartMs, long seed) {
        this.reply = reply;
        this.user = user;
        this.userStartMs = userStartMs;
        this.levelDb = levelDb;
        this.delayMs = delayMs;
        int end = Math.max(reply == null ? 0 : REPLY_START_MS * 16 + delayMs * 16 + reply.length,
                user == null ? 0 : userStartMs * 16 + user.length) + RATE / 2;
        this.frames = end / FRAME + 1;
        double[] mix = new double[frames * FRAME];
        Random random = new Random(seed);
        double noise = 32768 * Math.pow(10, NOISE_DBFS / 20);
        for (int i = 0; i < mix.length; i++) {
            mix[i] = noise * random.nextGaussian();
        }
        if (reply != null) {
            double gain = Math.pow(10, levelDb / 20);
            int at = (REPLY_START_MS + delayMs) * 16;
            for (int i = 0; i < reply.length; i++) {
                mix[at + i] += gain * reply[i];
            }
        }
        if (user != null) {
            for (int i = 0; i < user.length; i++) {
                mix[userStartMs * 16 + i] += user[i];
            }
        }
        input = new short[mix.length];
        for (int i = 0; i < mix.length; i++) {
            input[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(mix[i])));
        }
    }

    /** Input frame {@code j} as PCM16LE. */
    byte[] inputFrame(int j) {
        short[] samples = new short[FRAME];
        System.arraycopy(input, j * FRAME, samples, 0, FRAME);
        return Pcm.toBytes(samples);
    }

    /** Whether the gate called each input frame echo. */
    boolean[] run(EchoGate gate) {
        return run(gate, RATE, reply);
    }

    /** As {@link #run(EchoGate)}, the reply sent at {@code replyRate} ({@code replyAtRate} is the same speech). */
    boolean[] run(EchoGate gate, int replyRate, short[] replyAtRate) {
        boolean[] echo = new boolean[frames];
        int replyFrame = replyRate / 50;
        int sent = 0;
        for (int j = 0; j < frames; j++) {
            long startUs = EPOCH_US + j * 20_000L;
            while (replyAtRate != null && sent * replyFrame < replyAtRate.length
                    && REPLY_START_MS * 1_000L + sent * 20_000L <= j * 20_000L + LEAD_MS * 1_000L) {
                int n = Math.min(replyFrame, replyAtRate.length - sent * replyFrame);
                short[] part = new short[n];
                System.arraycopy(replyAtRate, sent * replyFrame, part, 0, n);
                byte[] pcm = Pcm.toBytes(part);
                gate.reply(pcm, pcm.length, replyRate, EPOCH_US + REPLY_START_MS * 1_000L + sent * 20_000L);
                sent++;
            }
            echo[j] = gate.isEcho(inputFrame(j), startUs);
        }
        return echo;
    }

    /** When the reply's speech begins (ms from its start): recordings start with a little silence. */
    static int speechOnsetMs(short[] speech) {
        for (int j = 0; (j + 1) * FRAME <= speech.length; j++) {
            double sum = 0;
            for (int n = 0; n < FRAME; n++) {
                sum += (double) speech[j * FRAME + n] * speech[j * FRAME + n];
            }
            if (10 * Math.log10(sum / FRAME / (32768.0 * 32768.0) + 1e-20) >= VOICED_DBFS) {
                return j * 20;
            }
        }
        return 0;
    }

    /** Input frames whose echo comes from a voiced part of the reply. */
    boolean[] replyVoiced() {
        return voiced(reply, (REPLY_START_MS + delayMs) * 16);
    }

    /** Input frames where the caller's own voice is at least {@code dbfs} (its clean level). */
    boolean[] userVoiced(double dbfs) {
        return voiced(user, userStartMs * 16, dbfs);
    }

    /** Caller speech frames in which the caller's voice is louder than the echo of the reply. */
    boolean[] userDominant(double dbfs) {
        boolean[] speech = userVoiced(dbfs);
        double gain = Math.pow(10, levelDb / 10);
        for (int j = 0; j < frames; j++) {
            speech[j] &= energy(user, userStartMs * 16, j) > gain * energy(reply, (REPLY_START_MS + delayMs) * 16, j);
        }
        return speech;
    }

    private static double energy(short[] signal, int offset, int frame) {
        double sum = 0;
        if (signal != null) {
            for (int n = 0; n < FRAME; n++) {
                int i = frame * FRAME + n - offset;
                if (i >= 0 && i < signal.length) {
                    sum += (double) signal[i] * signal[i];
                }
            }
        }
        return sum;
    }

    private boolean[] voiced(short[] signal, int offset) {
        return voiced(signal, offset, VOICED_DBFS);
    }

    private boolean[] voiced(short[] signal, int offset, double dbfs) {
        boolean[] voiced = new boolean[frames];
        if (signal == null) {
            return voiced;
        }
        for (int j = 0; j < frames; j++) {
            double sum = 0;
            for (int n = 0; n < FRAME; n++) {
                int i = j * FRAME + n - offset;
                if (i >= 0 && i < signal.length) {
                    sum += (double) signal[i] * signal[i];
                }
            }
            voiced[j] = 10 * Math.log10(sum / FRAME / (32768.0 * 32768.0) + 1e-20) >= dbfs;
        }
        return voiced;
    }

    /** The share of {@code frames} (marked) for which {@code decision} equals {@code value}. */
    static double share(boolean[] decision, boolean[] marked, boolean value) {
        int count = 0;
        int hits = 0;
        for (int j = 0; j < marked.length; j++) {
            if (marked[j]) {
                count++;
                if (decision[j] == value) {
                    hits++;
                }
            }
        }
        return count == 0 ? 1 : (double) hits / count;
    }

    static int count(boolean[] marked) {
        int n = 0;
        for (boolean b : marked) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}

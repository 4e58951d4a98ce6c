package dev.voxline.gateway.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The echo gate as the pipeline drives it, one session through {@link EchoSuppressor}, with the timing of the
 * conversation benchmark's open-mic caller: the gateway's pacer sends each reply 200 ms ahead; the client plays one
 * 20 ms frame per microphone tick, starting at the first tick after the frame arrived (so each turn starts at
 * another phase of the gateway's model); the echo of what was played is mixed into the microphone 60–140 ms later
 * at −6/−12/−20 dB; the microphone is digital silence otherwise. As in the benchmark, the caller first hears replies without echo (the speaker not yet on) and the
 * echo's delay and level change from turn to turn. A false barge-in is vad-service's rule applied to what the gate
 * lets through (a segment whose first and last voiced frames are 500 ms apart, 300 ms silences bridged, so frames
 * the gate leaks every few hundred ms keep a segment going); voiced from −55 dBFS, because Silero hears speech far
 * below an energy VAD's −35 dBFS, so an echo the gate lets through at −20 dB still interrupts.
 */
class EchoPipelineTimingTests {

    private static final int FRAME = EchoMix.FRAME;
    private static final long TICK_US = 20_000;
    private static final long LEAD_US = 200_000;
    private static final long NETWORK_US = 3_000;
    private static final int START_FRAMES = 5;
    private static final int GAP_FRAMES = 3;
    private static final int END_FRAMES = 15;
    private static final int BARGE_IN_MS = 500;
    /** Silero hears speech far below an energy VAD's threshold: any voiced frame from about this level. */
    private static final double SILERO_DBFS = -75;

    @Test
    void echoThatStartsMidSessionAndChangesFromTurnToTurnIsGated() {
        short[] reply = concat(SpeechFixtures.load(SpeechFixtures.QUESTION), SpeechFixtures.load(SpeechFixtures.HELLO));
        assertThat(falseBargeIns(reply)).isZero();
    }

    /**
     * The same with the built-in assistant's answer as MaryTTS speaks it (the first 4 s of "I'm Voxline's built-in
     * assistant…", as the gateway sent it). Its full-band level is nearly flat through words: a delay search on the
     * loudness envelope peaked broadly, crept 5 ms at a time away from the last turn's delay and gave 9 of 9.
     */
    @Test
    void echoOfAMaryTtsReplyIsGated() {
        short[] reply = SpeechFixtures.read(SpeechFixtures.resource("/echo/marytts-reply-4s.wav"));
        assertThat(falseBargeIns(reply)).isZero();
    }

    /** Four replies without echo, then nine with it (−6/−12/−20 dB × 60/100/140 ms); prints the table. */
    private static int falseBargeIns(short[] reply) {
        Session session = new Session(new Random(7));
        // Replies the caller hears without echo first (the benchmark's noise and backchannel rounds).
        for (int turn = 0; turn < 4; turn++) {
            session.turn(reply, null, 0);
        }
        StringBuilder table = new StringBuilder(String.format("%n%-8s %-7s %s%n", "level", "delay",
                "false barge-in (first at ms into the reply)"));
        int falseBargeIns = 0;
        for (double level : new double[] {-6, -12, -20}) {
            for (int delay : new int[] {60, 100, 140}) {
                int at = session.turn(reply, level, delay);
                falseBargeIns += at >= 0 ? 1 : 0;
                table.append(String.format("%-8s %-7s %s%n", (int) level + " dB", delay + " ms",
                        at >= 0 ? "YES at " + at : "no"));
            }
        }
        System.out.println(table);
        return falseBargeIns;
    }

    /** One session's gateway (suppressor) and client (speaker, echo line, microphone) on one virtual clock. */
    private static final class Session {
        final EchoSuppressor suppressor = new EchoSuppressor("sim");
        final Random random;
        long nowUs = EchoMix.EPOCH_US;
        long seq;

        Session(Random random) {
            this.random = random;
        }

        /**
         * Plays {@code reply} (echo at {@code levelDb} after {@code delayMs}, or none), then 1.5 s of silence.
         * Returns the ms into the reply of the first false barge-in, or -1.
         */
        int turn(short[] reply, Double levelDb, int delayMs) {
            // The reply's first frame is sent at a random phase of the caller's microphone clock.
            long replyStart = nowUs + 1_000 + random.nextInt(20_000);
            int replyFrames = (reply.length + FRAME - 1) / FRAME;
            int sent = 0;
            Deque<short[]> arriving = new ArrayDeque<>();
            List<Long> arrivals = new ArrayList<>();
            Deque<short[]> speaker = new ArrayDeque<>();
            Deque<short[]> echoLine = new ArrayDeque<>();
            int delayFrames = delayMs / 20;
            double gain = levelDb == null ? 0 : Math.pow(10, levelDb / 20);
            int frameIndex = 0;
            int candidate = 0;
            int segmentStart = -1;
            int lastVoiced = -1;
            int quiet = 0;
            int firstBargeIn = -1;
            long end = replyStart + replyFrames * TICK_US + 1_500_000;
            for (long tick = nowUs + TICK_US; tick < end; tick += TICK_US) {
                // Gateway: the pacer sends frame k once k·20 ms − lead ≤ elapsed, checked every 5 ms.
                for (long t = tick - TICK_US + 5_000; t <= tick; t += 5_000) {
                    while (sent < replyFrames && t >= replyStart
                            && sent * TICK_US - LEAD_US <= t - replyStart) {
                        short[] frame = new short[FRAME];
                        System.arraycopy(reply, sent * FRAME, frame, 0, Math.min(FRAME, reply.length - sent * FRAME));
                        suppressor.replySent(Pcm.toBytes(frame), 16_000, t);
                        arriving.add(frame);
                        arrivals.add(t + NETWORK_US);
                        sent++;
                    }
                }
                // Client: what has arrived by this tick is queued; one frame plays per tick.
                while (!arriving.isEmpty() && arrivals.get(0) <= tick) {
                    speaker.add(arriving.poll());
                    arrivals.remove(0);
                }
                short[] played = speaker.isEmpty() ? new short[FRAME] : speaker.poll();
                echoLine.addLast(played);
                while (echoLine.size() > delayFrames + 1) {
                    echoLine.removeFirst();
                }
                short[] mic = new short[FRAME];
                if (levelDb != null && echoLine.size() == delayFrames + 1) {
                    short[] echo = echoLine.peekFirst();
                    for (int i = 0; i < FRAME; i++) {
                        mic[i] = (short) Math.round(echo[i] * gain);
                    }
                }
                byte[] bytes = Pcm.toBytes(mic);
                boolean silenced = suppressor.silenceIfEcho(seq++, bytes, tick + NETWORK_US + random.nextInt(2_000));
                boolean voiced = !silenced && level(mic) >= SILERO_DBFS;
                // vad-service's low-latency segmenter and barge-in rule: a segment starts on 5 voiced frames, a
                // 300 ms silence ends it, and the span from its first voiced frame to its last reaching 500 ms is a
                // barge-in: gated (silent) frames between leaked ones count too.
                if (voiced) {
                    if (segmentStart < 0 && ++candidate >= START_FRAMES) {
                        segmentStart = frameIndex - START_FRAMES + 1;
                    }
                    lastVoiced = frameIndex;
                    quiet = 0;
                    if (segmentStart >= 0 && (lastVoiced - segmentStart + 1) * 20 >= BARGE_IN_MS && firstBargeIn < 0
                            && tick > replyStart) {
                        firstBargeIn = (int) ((tick - replyStart) / 1_000);
                    }
                } else if (++quiet >= (segmentStart >= 0 ? END_FRAMES : GAP_FRAMES)) {
                    segmentStart = -1;
                    candidate = 0;
                }
                frameIndex++;
            }
            nowUs = end;
            return firstBargeIn;
        }
    }

    private static short[] concat(short[] a, short[] b) {
        short[] out = new short[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double level(short[] frame) {
        double sum = 0;
        for (short s : frame) {
            sum += (double) s * s;
        }
        return 10 * Math.log10(sum / frame.length / (32768.0 * 32768.0) + 1e-20);
    }
}

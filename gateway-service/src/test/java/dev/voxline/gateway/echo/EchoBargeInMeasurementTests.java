package dev.voxline.gateway.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * False barge-ins with the reply mixed back at speakerphone level and 50–150 ms delay, with and without the gate,
 * at the level of a segmenter: a plain energy VAD (a frame is speech from −35 dBFS) whose segments bridge pauses up
 * to 100 ms, and a barge-in once a segment holds 500 ms of speech. Every recording is the reply once (the two long
 * ones and every phrase); for real barge-ins the caller says the next recording 400 ms after the agent's first
 * word, and the time to detect it is counted from the caller's first voiced frame, with the gate and, on the caller
 * alone (no echo, no gate), the floor. Prints the table; asserts that the gate removes every false barge-in and
 * keeps at least 95 % of the real ones.
 */
class EchoBargeInMeasurementTests {

    private static final double SPEECH_DBFS = EchoMix.SPEECH_DBFS;
    private static final int BRIDGE_FRAMES = 5;
    private static final int BARGE_IN_FRAMES = 25;

    @Test
    void falseBargeInsWithAndWithoutTheGate() {
        List<short[]> speech = new ArrayList<>();
        speech.add(SpeechFixtures.load(SpeechFixtures.HELLO));
        speech.add(SpeechFixtures.load(SpeechFixtures.QUESTION));
        for (Path phrase : SpeechFixtures.phrases()) {
            speech.add(SpeechFixtures.read(phrase));
        }
        StringBuilder table = new StringBuilder(String.format("%n%-8s %-7s %7s %22s %19s %24s %20s%n", "level",
                "delay", "replies", "false barge-ins, no gate", "false, with gate", "real barge-ins kept", "ms to detect (alone)"));
        int falseWithGate = 0;
        int realMissed = 0;
        int realTotal = 0;
        for (double level : new double[] {-6, -12, -20}) {
            for (int delay : new int[] {50, 100, 150}) {
                int without = 0;
                int with = 0;
                int kept = 0;
                long detectMs = 0;
                long aloneMs = 0;
                for (int i = 0; i < speech.size(); i++) {
                    short[] reply = speech.get(i);
                    EchoMix echoOnly = new EchoMix(reply, level, delay, null, 0, i * 31L + delay);
                    boolean[] gated = echoOnly.run(new EchoGate());
                    without += bargeIns(echoOnly, null).size();
                    with += bargeIns(echoOnly, gated).size();

                    int userStart = EchoGateTests.bargeInAtMs(reply, delay);
                    EchoMix talk = new EchoMix(reply, level, delay, speech.get((i + 1) % speech.size()), userStart,
                            i * 17L + delay);
                    List<Integer> found = bargeIns(talk, talk.run(new EchoGate()));
                    short[] user = speech.get((i + 1) % speech.size());
                    int userFrame = (userStart + EchoMix.speechOnsetMs(user)) / 20;
                    Integer real = found.stream().filter(f -> f >= userFrame).findFirst().orElse(null);
                    EchoMix alone = new EchoMix(null, 0, 0, user, userStart, i * 17L + delay);
                    int aloneAt = bargeIns(alone, null).get(0);
                    if (real != null) {
                        kept++;
                        detectMs += (real - userFrame) * 20L;
                        aloneMs += (aloneAt - userFrame) * 20L;
                    }
                }
                falseWithGate += with;
                realMissed += speech.size() - kept;
                realTotal += speech.size();
                table.append(String.format("%-8s %-7s %7d %22d %19d %20d/%-3d %20s%n", (int) level + " dB",
                        delay + " ms", speech.size(), without, with, kept, speech.size(),
                        kept == 0 ? "-" : detectMs / kept + " (" + aloneMs / kept + ")"));
            }
        }
        System.out.println(table);
        assertThat(falseWithGate).as(table.toString()).isZero();
        assertThat(realMissed).as(table.toString()).isLessThanOrEqualTo(realTotal / 20);
    }

    /** The frames at which a barge-in would fire (one per segment), on the input with {@code gated} frames zeroed. */
    private static List<Integer> bargeIns(EchoMix mix, boolean[] gated) {
        List<Integer> fired = new ArrayList<>();
        int speechFrames = 0;
        int quiet = BRIDGE_FRAMES + 1;
        boolean firedInSegment = false;
        for (int j = 0; j < mix.frames; j++) {
            boolean isSpeech = (gated == null || !gated[j]) && level(mix.input, j) >= SPEECH_DBFS;
            if (isSpeech) {
                if (quiet > BRIDGE_FRAMES) {
                    speechFrames = 0;
                    firedInSegment = false;
                }
                quiet = 0;
                speechFrames++;
                if (speechFrames >= BARGE_IN_FRAMES && !firedInSegment) {
                    fired.add(j);
                    firedInSegment = true;
                }
            } else {
                quiet++;
            }
        }
        return fired;
    }

    private static double level(short[] input, int frame) {
        double sum = 0;
        for (int n = 0; n < EchoMix.FRAME; n++) {
            double x = input[frame * EchoMix.FRAME + n];
            sum += x * x;
        }
        return 10 * Math.log10(sum / EchoMix.FRAME / (32768.0 * 32768.0) + 1e-20);
    }
}

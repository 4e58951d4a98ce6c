package dev.voxline.gateway.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import org.junit.jupiter.api.Test;

/**
 * What the gate costs per 20 ms caller frame while reply audio plays (a reply frame in, a caller frame decided),
 * after warm-up. Prints the figure; timing goals live here, not in assertions.
 */
class EchoGateBenchmarkTests {

    @Test
    void nanosecondsPerFrame() {
        short[] reply = SpeechFixtures.load(SpeechFixtures.HELLO);
        EchoMix mix = new EchoMix(reply, -12, 100, null, 0, 1);
        byte[][] replyFrames = new byte[mix.frames][];
        byte[][] inputFrames = new byte[mix.frames][];
        for (int j = 0; j < mix.frames; j++) {
            short[] part = new short[EchoMix.FRAME];
            if ((j + 1) * EchoMix.FRAME <= reply.length) {
                System.arraycopy(reply, j * EchoMix.FRAME, part, 0, EchoMix.FRAME);
            }
            replyFrames[j] = Pcm.toBytes(part);
            inputFrames[j] = mix.inputFrame(j);
        }
        EchoGate gate = new EchoGate();
        long frames = 0;
        int gated = 0;
        long start = 0;
        for (int round = 0; round < 600; round++) {
            if (round == 300) {
                start = System.nanoTime();
                frames = 0;
            }
            long base = EchoMix.EPOCH_US + round * (long) mix.frames * 20_000;
            for (int j = 0; j < mix.frames; j++) {
                // Every frame a reply frame, so the gate never idles: the cost while the agent speaks.
                gate.reply(replyFrames[j], replyFrames[j].length, 16_000, base + j * 20_000L + 200_000);
                gated += gate.isEcho(inputFrames[j], base + j * 20_000L) ? 1 : 0;
                frames++;
            }
        }
        double nsPerFrame = (System.nanoTime() - start) / (double) frames;
        System.out.printf("echo gate: %.0f ns per 20 ms frame (reply frame + caller frame, 16 kHz, %d frames)%n",
                nsPerFrame, frames);
        assertThat(gated).isPositive();
    }
}

package dev.voxline.loadtest.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.loadtest.audio.PhraseSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationSummaryTests {

    @Test
    void theLastVoicedFrameIgnoresTrailingSilenceAndHiss() {
        short[] samples = new short[16_000]; // 1 s
        for (int i = 0; i < 8_000; i++) {
            samples[i] = (short) (8_000 * Math.sin(i * 0.3)); // 500 ms of tone
        }
        for (int i = 8_000; i < 16_000; i++) {
            samples[i] = (short) ((i % 7) - 3); // hiss 60 dB down
        }
        SpokenItem item = new SpokenItem("tone", "", Pcm.toBytes(samples), SpokenItem.SYNTHETIC);
        assertThat(item.durationMs()).isEqualTo(1_000);
        assertThat(item.lastVoicedMs()).isEqualTo(500);
    }

    @Test
    void aNoiseBurstHasTheAskedLengthAndPeakLevelBetweenPadding() {
        SpokenItem burst = ConversationBench.noiseBurst("burst", 150, -20, 7);
        assertThat(burst.durationMs()).isEqualTo(350); // 100 ms of silence each side
        byte[] first = Arrays.copyOfRange(burst.pcm(), 0, 3_200);
        assertThat(Pcm.rmsDbfs(first)).isLessThan(-90);
        byte[] loud = Arrays.copyOfRange(burst.pcm(), 3_200 + 320, 3_200 + 960); // 10-30 ms into the burst
        assertThat(Pcm.rmsDbfs(loud)).isBetween(-26.0, -20.0); // -20 dBFS at the attack, decaying
        assertThat(burst.lastVoicedMs()).isBetween(200L, 260L); // the 20 ms frame holding its end
    }

    @Test
    void ratesAndFiguresCountWhatIsThere() {
        List<Double> values = Arrays.asList(100.0, null, 300.0, -1.0, 200.0);
        assertThat(ConversationSummary.rate("premature", values, v -> v != null && v > 150))
                .isEqualTo("premature 2/5 (40.0 %)");
        assertThat(ConversationSummary.figure("eou", values, v -> v))
                .isEqualTo("eou n=3 p50 200 p95 290 mean 200 max 300 ms");
        assertThat(ConversationSummary.p50(values, v -> v)).isEqualTo(200.0);
        assertThat(ConversationSummary.figure("eou", List.<Double>of(), v -> v)).isEqualTo("eou n=0");
    }

    @Test
    void theBackchannelsShipWithTheClient() throws Exception {
        PhraseSet backchannels = PhraseSet.classpath("/audio/backchannels/");
        assertThat(backchannels.phrases()).extracting(PhraseSet.Phrase::reference)
                .contains("yeah", "okay", "mm-hm", "uh-huh");
        assertThat(backchannels.phrases()).allSatisfy(p -> assertThat(p.audio().durationMs()).isBetween(300L,
                1_500L));
    }
}

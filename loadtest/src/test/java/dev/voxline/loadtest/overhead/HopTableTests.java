package dev.voxline.loadtest.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.event.VoiceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HopTableTests {

    private static final List<String> HOPS = List.of("gateway→vad", "vad→stt", "stt→llm", "llm→tts", "tts→gateway");

    private static VoiceEvent.TurnMetrics report(VoiceEvent.TurnMetrics.Hops hops) {
        return new VoiceEvent.TurnMetrics(1, 0, "s", "t", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, false, false, null, null, null, null, null, null, null,
                null, null, null, hops, null);
    }

    private static ChainResult chain(int probes, double each) {
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            all.add(new double[] {each, each, each, each, each});
        }
        return new ChainResult(HOPS, all, 0, 0, List.of(640, 197, 251, 262, 3200));
    }

    @Test
    void eachHopOfTheReportsStandsBesideTheSameHopOfTheChain() {
        List<VoiceEvent.TurnMetrics> reports = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            reports.add(report(new VoiceEvent.TurnMetrics.Hops(1.0, 2.0, 3.0, 4.0, 5.0)));
        }
        HopTable table = HopTable.of(chain(50, 1.0), reports);

        List<List<String>> rows = table.rows();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsExactly("gateway→vad", "640", "1.00 [1.00, 1.00]", "1.00 [1.00, 1.00]",
                "0.00 [0.00, 0.00]", "1.00 [1.00, 1.00]", "1.00 [1.00, 1.00]");
        assertThat(rows.get(4).get(4)).as("tts→gateway: 5 − 1").isEqualTo("4.00 [4.00, 4.00]");
        assertThat(table.render()).startsWith("per hop: pipeline beside the floor").contains("pipeline − floor p50");
    }

    @Test
    void reportsWithoutAHopAreLeftOutOfThatHopOnly() {
        List<VoiceEvent.TurnMetrics> reports = List.of(report(null),
                report(new VoiceEvent.TurnMetrics.Hops(null, null, 3.0, 4.0, 5.0)),
                report(new VoiceEvent.TurnMetrics.Hops(1.0, 2.0, 3.0, 4.0, 5.0)));
        HopTable table = HopTable.of(chain(3, 1.0), reports);

        assertThat(table.pipeline().get(0)).containsExactly(1.0);
        assertThat(table.pipeline().get(2)).containsExactly(3.0, 3.0);
        assertThat(HopTable.of(chain(3, 1.0), List.of()).rows().get(0).get(2)).isEqualTo("–");
    }

    @Test
    void aChainOfAnotherShapeIsRefused() {
        ChainResult three = new ChainResult(List.of("a", "b", "c"), List.of(), 0, 0, List.of(1, 1, 1));
        assertThatThrownBy(() -> HopTable.of(three, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 hops");
    }
}

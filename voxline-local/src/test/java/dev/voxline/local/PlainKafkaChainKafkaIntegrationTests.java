package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.loadtest.overhead.ChainHop;
import dev.voxline.loadtest.overhead.ChainResult;
import dev.voxline.loadtest.overhead.PlainKafkaChain;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The overhead benchmark's floor on the real embedded broker: every probe travels the five hops, and it cleans up. */
class PlainKafkaChainKafkaIntegrationTests {

    @Test
    void probesTravelAllFiveHopsAmongBackgroundAudioAndTheTopicsAreDeletedAfter() throws Exception {
        String bootstrap = SharedStack.bootstrapServers();

        ChainResult result = new PlainKafkaChain(bootstrap).run(10, 2, n -> { });

        assertThat(result.probes()).hasSize(10);
        assertThat(result.lost()).isZero();
        assertThat(result.hopNames()).containsExactly("gateway→vad", "vad→stt", "stt→llm", "llm→tts",
                "tts→gateway");
        assertThat(result.valueSizes().get(0)).isEqualTo(ChainHop.AUDIO_FRAME_BYTES);
        assertThat(result.valueSizes().get(4)).isEqualTo(ChainHop.REPLY_CHUNK_BYTES);
        for (int hop = 0; hop < 5; hop++) {
            assertThat(result.hop(hop)).as("hop %d", hop).hasSize(10).allMatch(ms -> ms >= 0);
        }
        assertThat(result.totals()).allMatch(total -> total > 0);
        // 4 of every 5 frames on the first hop are the caller's background audio
        assertThat(result.background()).isGreaterThanOrEqualTo(4L * 12 - 4);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .noneMatch(name -> name.startsWith("bench.chain."));
        }
    }
}

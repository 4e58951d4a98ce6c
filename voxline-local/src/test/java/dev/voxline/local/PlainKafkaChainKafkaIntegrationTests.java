package dev.voxline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.loadtest.overhead.ChainHop;
import dev.voxline.loadtest.overhead.ChainOptions;
import dev.voxline.loadtest.overhead.PlainKafkaChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        List<double[]> probes = new ArrayList<>();
        long background;

        try (PlainKafkaChain chain = new PlainKafkaChain(bootstrap, ChainOptions.pipeline()).open()) {
            assertThat(chain.hops()).extracting(ChainHop::name).containsExactly("gateway→vad", "vad→stt",
                    "stt→llm", "llm→tts", "tts→gateway");
            assertThat(chain.hops().get(0).size()).isEqualTo(ChainHop.AUDIO_FRAME_BYTES);
            assertThat(chain.hops().get(4).size()).isEqualTo(ChainHop.REPLY_CHUNK_BYTES);
            for (int i = 0; i < 10; i++) {
                probes.add(chain.probe(Duration.ofSeconds(10)));
                Thread.sleep(60); // the caller's audio goes on between probes
            }
            background = chain.background();
        }

        assertThat(probes).hasSize(10).doesNotContainNull();
        for (double[] hops : probes) {
            assertThat(hops).hasSize(5);
            assertThat(Arrays.stream(hops).min().orElseThrow()).isNotNegative();
            assertThat(Arrays.stream(hops).sum()).isPositive();
        }
        // between the probes the first hop carries the caller's background audio, 50 frames/s
        assertThat(background).isGreaterThanOrEqualTo(10);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .noneMatch(name -> name.startsWith("bench.chain."));
        }
    }
}

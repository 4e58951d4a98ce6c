package dev.voxline.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ReplyRecordsTests {

    private static Flux<byte[]> chunks(int count) {
        return Flux.range(0, count).map(i -> new byte[] {i.byteValue(), i.byteValue()});
    }

    @Test
    void theFirstChunkGoesAloneThenRecordsGrowToTheLimitAndTheRestIsSentAtTheEnd() {
        List<byte[]> records = ReplyRecords.growing(chunks(12), 4).collectList().block();

        // 1 + 2 + 4 + 4 = 11 chunks, then the last one on its own when the clause ends
        assertThat(records).extracting(r -> r.length / 2).containsExactly(1, 2, 4, 4, 1);
        assertThat(records.get(1)).containsExactly(1, 1, 2, 2);
        assertThat(records.stream().mapToInt(r -> r.length).sum()).isEqualTo(24);
    }

    @Test
    void oneChunkPerRecordPassesTheEnginesChunksThrough() {
        assertThat(ReplyRecords.growing(chunks(3), 1).collectList().block()).hasSize(3);
    }

    @Test
    void theFirstChunkIsNotHeldForTheOnesAfterIt() {
        // built inside the supplier, so the delay runs on the virtual clock
        StepVerifier.withVirtualTime(() -> ReplyRecords.growing(Flux.concat(Flux.just(new byte[2]),
                        Flux.just(new byte[2], new byte[2]).delaySubscription(Duration.ofHours(1))), 4))
                .expectNextMatches(first -> first.length == 2)
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofMinutes(1))
                .expectNextMatches(second -> second.length == 4)
                .verifyComplete();
    }

    @Test
    void eachSubscriptionStartsWithAFirstChunkOfItsOwn() {
        Flux<byte[]> records = ReplyRecords.growing(chunks(3), 4);

        assertThat(records.collectList().block()).extracting(r -> r.length / 2).containsExactly(1, 2);
        assertThat(records.collectList().block()).extracting(r -> r.length / 2).containsExactly(1, 2);
    }
}

package dev.voxline.gateway.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class OutboundQueueTests {

    @Test
    void aFullQueueEndsTheStreamAndReportsOverflowOnce() {
        AtomicInteger overflows = new AtomicInteger();
        OutboundQueue queue = new OutboundQueue(3, overflows::incrementAndGet);

        StepVerifier.create(queue.frames(), 0) // a client that reads nothing
                .then(() -> {
                    for (int i = 0; i < 3; i++) {
                        assertThat(queue.offer("frame " + i)).isTrue();
                    }
                    assertThat(queue.offer("one too many")).isFalse();
                    assertThat(queue.offer("after")).isFalse();
                })
                .verifyComplete(); // queued frames are dropped, not delivered

        assertThat(overflows).hasValue(1);
        assertThat(queue.overflowed()).isTrue();
    }

    @Test
    void aReadingClientGetsEverythingInOrderUntilComplete() {
        OutboundQueue queue = new OutboundQueue(2, () -> {
            throw new AssertionError("no overflow expected");
        });
        StepVerifier.create(queue.frames())
                .then(() -> queue.offer("a"))
                .expectNext("a")
                .then(() -> queue.offer("b"))
                .expectNext("b")
                .then(queue::complete)
                .verifyComplete();
        assertThat(queue.offer("late")).isFalse();
        assertThat(queue.overflowed()).isFalse();
    }
}

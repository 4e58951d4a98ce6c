package dev.voxline.vad.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class VadEnginesTests {

    @Test
    void enginesAreCreatedOnceOnFirstUseAndNullMeansTheDefault() {
        AtomicInteger created = new AtomicInteger();
        Map<String, Supplier<VadEngine>> factories = new LinkedHashMap<>();
        factories.put("simulated", () -> new EnergyVadEngine(-50, -30));
        factories.put("silero", () -> {
            created.incrementAndGet();
            return new EnergyVadEngine(-60, -20);
        });
        VadEngines engines = new VadEngines(factories, "simulated");

        assertThat(created).hasValue(0);
        VadEngine first = engines.get("silero");
        assertThat(engines.get("silero")).isSameAs(first);
        assertThat(created).hasValue(1);
        assertThat(engines.get(null)).isSameAs(engines.defaultEngine()).isSameAs(engines.get("simulated"));
        assertThat(engines.names()).containsExactly("simulated", "silero");
    }

    @Test
    void unknownNamesAreRejectedWithTheAvailableOnes() {
        VadEngines engines = new VadEngines(Map.of("simulated", () -> new EnergyVadEngine(-50, -30)), "simulated");
        assertThatThrownBy(() -> engines.get("webrtc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'webrtc'").hasMessageContaining("simulated");
        assertThatThrownBy(() -> new VadEngines(Map.of("simulated", () -> new EnergyVadEngine(-50, -30)), "nope"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("voxline.vad.engine");
    }

    @Test
    void closeClosesTheEnginesThatWereCreated() {
        AtomicInteger closed = new AtomicInteger();
        class Closing extends Object implements VadEngine, AutoCloseable {
            @Override
            public String name() {
                return "closing";
            }

            @Override
            public reactor.core.publisher.Flux<VadScore> score(reactor.core.publisher.Flux<AudioFrame> frames,
                                                                VadSettings settings) {
                return frames.map(frame -> new VadScore(frame, 0));
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        VadEngines engines = new VadEngines(Map.of("closing", Closing::new, "unused", Closing::new), "closing");
        engines.get("closing");
        engines.close();
        assertThat(closed).hasValue(1);
    }
}

package dev.voxline.kafka.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

class EngineRegistryTests {

    private final List<String> events = new ArrayList<>();

    /** An engine that records its warm-up and its close. */
    private final class Fake implements NamedEngine, AutoCloseable {
        private final String name;

        Fake(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> capabilities() {
            return Set.of(STREAMING);
        }

        @Override
        public void warmUp() {
            events.add("warm " + name);
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    /** An engine without resources and without a warm-up. */
    private record Plain(String name) implements NamedEngine {
    }

    private EngineRegistry<NamedEngine> registry(String defaultName) {
        return EngineRegistry.builder("TEST").add(new Fake("simulated")).add(new Fake("real")).build(defaultName);
    }

    @Test
    void nullOrBlankSelectsTheDefaultWithoutAProblem() {
        EngineRegistry<NamedEngine> engines = registry("real");
        assertThat(engines.select(null).engine()).isSameAs(engines.defaultEngine());
        assertThat(engines.select("  ").engine().name()).isEqualTo("real");
        assertThat(engines.select(null).problem()).isEmpty();
        assertThat(engines.select(" simulated ").engine().name()).isEqualTo("simulated");
        assertThat(engines.select("simulated").problem()).isEmpty();
    }

    @Test
    void anUnknownNameGivesTheDefaultAndAMessageNamingTheValidOnes() {
        EngineRegistry.Selection<NamedEngine> selection = registry("real").select("whisper");
        assertThat(selection.engine().name()).isEqualTo("real");
        assertThat(selection.problem()).hasValue("unknown TEST engine 'whisper'; available: real, simulated; "
                + "using the default engine 'real'");
    }

    @Test
    void anUnknownDefaultStopsTheBuild() {
        assertThatThrownBy(() -> registry("nope")).isInstanceOf(IllegalStateException.class)
                .hasMessage("unknown TEST engine 'nope' as the default; available: real, simulated");
    }

    @Test
    void twoEnginesOfOneNameAreRefused() {
        assertThatThrownBy(() -> EngineRegistry.builder("TEST").add(new Plain("a")).add(new Plain("a")))
                .hasMessageContaining("two TEST engines are called 'a'");
    }

    @Test
    void aLazyEngineIsCreatedOnceOnFirstSelection() {
        AtomicInteger created = new AtomicInteger();
        EngineRegistry<NamedEngine> engines = EngineRegistry.builder("TEST").add(new Plain("simulated"))
                .addLazy("silero", () -> {
                    created.incrementAndGet();
                    return new Plain("silero");
                }).build("simulated");
        assertThat(created).hasValue(0);
        assertThat(engines.names()).containsExactly("silero", "simulated");

        NamedEngine first = engines.select("silero").engine();
        assertThat(engines.select("silero").engine()).isSameAs(first);
        assertThat(created).hasValue(1);
    }

    @Test
    void aLazyDefaultIsCreatedWhenTheRegistryIsBuilt() {
        AtomicInteger created = new AtomicInteger();
        EngineRegistry.builder("TEST").addLazy("silero", () -> {
            created.incrementAndGet();
            return new Plain("silero");
        }).build("silero");
        assertThat(created).hasValue(1);
        assertThatThrownBy(() -> EngineRegistry.builder("TEST").addLazy("openai", () -> {
            throw new IllegalStateException("set VOXLINE_LLM_MODEL");
        }).build("openai")).hasMessage("set VOXLINE_LLM_MODEL");
    }

    @Test
    void anEngineThatCannotBeCreatedIsReportedEachTimeItIsAskedFor() {
        AtomicInteger attempts = new AtomicInteger();
        EngineRegistry<NamedEngine> engines = EngineRegistry.builder("LLM").add(new Plain("simulated"))
                .addLazy("openai", () -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("the openai engine needs a model: set VOXLINE_LLM_MODEL");
                }).build("simulated");
        for (int i = 0; i < 2; i++) {
            EngineRegistry.Selection<NamedEngine> selection = engines.select("openai");
            assertThat(selection.engine().name()).isEqualTo("simulated");
            assertThat(selection.problem()).hasValue("LLM engine 'openai' is not available: the openai engine "
                    + "needs a model: set VOXLINE_LLM_MODEL; using the default engine 'simulated'");
        }
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aLazyEngineMustCallItselfByItsRegisteredName() {
        EngineRegistry<NamedEngine> engines = EngineRegistry.builder("TEST").add(new Plain("simulated"))
                .addLazy("silero", () -> new Plain("webrtc")).build("simulated");
        assertThat(engines.select("silero").problem()).hasValueSatisfying(problem -> assertThat(problem)
                .contains("registered as 'silero' calls itself 'webrtc'"));
    }

    @Test
    void warmUpWarmsTheNamedEnginesAndCloseClosesEveryCreatedOneOnce() {
        EngineRegistry<NamedEngine> engines = registry("real");
        engines.warmUp();
        engines.warmUp(List.of("simulated"));
        assertThat(engines.select("simulated").engine().capabilities()).containsExactly(NamedEngine.STREAMING);
        engines.close();
        engines.close();
        assertThat(events).containsExactly("warm real", "warm simulated", "close real", "close simulated");
    }

    @Test
    void aFailedWarmUpLeavesTheEngineInPlace() {
        NamedEngine failing = new NamedEngine() {
            @Override
            public String name() {
                return "vosk";
            }

            @Override
            public void warmUp() {
                throw new IllegalStateException("no model");
            }
        };
        EngineRegistry<NamedEngine> engines = EngineRegistry.builder("STT").add(failing).build("vosk");
        engines.warmUp();
        assertThat(engines.select("vosk").engine()).isSameAs(failing);
        assertThatThrownBy(() -> engines.warmUp(List.of("whisper"))).hasMessageContaining("'whisper'");
    }

    @Test
    void aSpringContextWarmsUpAtStartAndClosesAtShutdown() {
        EngineRegistry<NamedEngine> engines = registry("real");
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(EngineLifecycle.class, () -> EngineLifecycle.warmingTheDefault(engines));
            context.refresh();
            assertThat(events).containsExactly("warm real");
        }
        assertThat(events).containsExactly("warm real", "close real");
    }
}

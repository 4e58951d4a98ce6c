package dev.voxline.tts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.MaryTtsProperties;
import dev.voxline.tts.engine.TtsEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;

/** The synthesisers tts-service wires: both always there, the default by {@code voxline.tts.engine}. */
class TtsConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(TtsConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=tts-service");

    @SuppressWarnings("unchecked")
    private static EngineRegistry<TtsEngine> engines(ApplicationContext context) {
        return (EngineRegistry<TtsEngine>) context.getBeanProvider(
                ResolvableType.forClassWithGenerics(EngineRegistry.class, TtsEngine.class)).getObject();
    }

    @Test
    void maryTtsIsTheDefaultAndHasStartedBeforeTheStageConsumes() {
        runner.run(context -> {
            EngineRegistry<TtsEngine> engines = engines(context);
            assertThat(engines.defaultEngine().name()).isEqualTo("marytts");
            assertThat(engines.names()).containsExactly("marytts", "simulated");
            assertThat(context.getBean(MaryTtsEngine.class).voices()).as("started at warm-up")
                    .contains("cmu-slt-hsmm");
        });
    }

    @Test
    void simulatedCanBeTheDefaultAndMaryTtsThenStaysUnloaded() {
        runner.withPropertyValues("voxline.tts.engine=simulated").run(context -> {
            EngineRegistry<TtsEngine> engines = engines(context);
            assertThat(engines.defaultEngine().name()).isEqualTo("simulated");
            assertThat(context.getBean(MaryTtsEngine.class).voices()).isEmpty();
            assertThat(context.getBean(MaryTtsProperties.class).voice()).isEqualTo("cmu-slt-hsmm");
        });
    }

    @Test
    void withoutWarmUpMaryTtsStartsOnFirstUse() {
        runner.withPropertyValues("voxline.tts.marytts.warm-up=false").run(context ->
                assertThat(context.getBean(MaryTtsEngine.class).voices()).isEmpty());
    }

    @Test
    void anUnknownDefaultEngineStopsTheServiceWithAClearMessage() {
        runner.withPropertyValues("voxline.tts.engine=festival").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("unknown TTS engine 'festival' as the default")
                .hasMessageContaining("marytts, simulated"));
    }
}

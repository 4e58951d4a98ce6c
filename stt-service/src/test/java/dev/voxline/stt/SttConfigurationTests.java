package dev.voxline.stt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.engine.NamedEngine;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.SttProperties;
import dev.voxline.stt.engine.VoskSttEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;

/** The recognisers stt-service offers and its default, the one application.yml names too. */
class SttConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SttConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=stt-service");

    @SuppressWarnings("unchecked")
    private static EngineRegistry<SttEngine> engines(ApplicationContext context) {
        return (EngineRegistry<SttEngine>) context.getBeanProvider(
                ResolvableType.forClassWithGenerics(EngineRegistry.class, SttEngine.class)).getObject();
    }

    @Test
    void voskIsTheDefaultAndItsModelIsLoadedBeforeTheStageStarts() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            EngineRegistry<SttEngine> engines = engines(context);
            assertThat(engines.defaultEngine()).isInstanceOf(VoskSttEngine.class);
            assertThat(((VoskSttEngine) engines.defaultEngine()).modelLoad()).as("loaded at warm-up").isNotNull();
        });
    }

    @Test
    void theSimulatedRecogniserCanBeTheDefaultAndVoskThenLoadsLazily() {
        runner.withPropertyValues("voxline.stt.engine=simulated").run(context -> {
            EngineRegistry<SttEngine> engines = engines(context);
            assertThat(engines.defaultEngine().name()).isEqualTo("simulated");
            assertThat(engines.names()).containsExactly("simulated", "vosk");
            SttEngine vosk = engines.select("vosk").engine();
            assertThat(((VoskSttEngine) vosk).modelLoad()).as("the model loads lazily").isNull();
            assertThat(vosk.capabilities()).containsExactlyInAnyOrder(NamedEngine.STREAMING,
                    NamedEngine.INTERIM_RESULTS);
            SttProperties properties = context.getBean(SttProperties.class);
            assertThat(properties.language()).isEqualTo("en-us");
            assertThat(properties.vosk().interimEveryMs()).isEqualTo(200);
        });
    }

    @Test
    void anUnknownDefaultEngineStopsTheStart() {
        runner.withPropertyValues("voxline.stt.engine=whisper").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("unknown STT engine 'whisper' as the default; available: simulated, "
                        + "vosk"));
    }
}

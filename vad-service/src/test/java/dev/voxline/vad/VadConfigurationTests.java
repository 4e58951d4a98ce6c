package dev.voxline.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.SileroVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.WebRtcVadEngine;
import dev.voxline.vad.stage.VadProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;

/** The detectors vad-service offers and its default, the one application.yml names too. */
class VadConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(VadConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=vad-service");

    @SuppressWarnings("unchecked")
    private static EngineRegistry<VadEngine> engines(org.springframework.context.ApplicationContext context) {
        return (EngineRegistry<VadEngine>) context.getBeanProvider(
                ResolvableType.forClassWithGenerics(EngineRegistry.class, VadEngine.class)).getObject();
    }

    @Test
    void sileroIsTheDefaultAndIsLoadedBeforeTheStageStarts() {
        runner.run(context -> {
            EngineRegistry<VadEngine> engines = engines(context);
            assertThat(engines.defaultName()).isEqualTo("silero").isEqualTo(SileroVadEngine.NAME);
            assertThat(engines.names()).containsExactly("silero", "simulated", "webrtc");
            SileroVadEngine silero = context.getBean(SileroVadEngine.class);
            assertThat(engines.defaultEngine()).isSameAs(silero);
            assertThat(silero.loaded()).as("the model loaded at warm-up").isTrue();
            assertThat(context.getBean(VadProperties.class).silero().model())
                    .isEqualTo(SileroVadEngine.DEFAULT_MODEL_RESOURCE);
        });
    }

    @Test
    void theSimulatedDetectorCanBeTheDefault() {
        runner.withPropertyValues("voxline.vad.engine=simulated", "voxline.vad.silero.threads=2").run(context -> {
            EngineRegistry<VadEngine> engines = engines(context);
            assertThat(engines.defaultEngine()).isInstanceOf(EnergyVadEngine.class);
            assertThat(context.getBean(SileroVadEngine.class).loaded()).as("only the default warms up").isFalse();
            assertThat(engines.select("webrtc").engine()).isInstanceOf(WebRtcVadEngine.class);
            assertThat(context.getBean(VadProperties.class).silero().threadCount()).isEqualTo(2);
        });
    }

    @Test
    void anUnknownDefaultEngineFailsTheStart() {
        runner.withPropertyValues("voxline.vad.engine=nope").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("unknown VAD engine 'nope' as the default; available: silero, "
                        + "simulated, webrtc"));
    }
}

package dev.voxline.vad.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.SileroVadEngine;
import dev.voxline.vad.engine.VadEngines;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class VadConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(VadConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=vad-service");

    @Test
    void defaultsToTheSimulatedEngineAndOffersSilero() {
        runner.run(context -> {
            VadEngines engines = context.getBean(VadEngines.class);
            assertThat(engines.defaultName()).isEqualTo("simulated");
            assertThat(engines.names()).containsExactly("simulated", "silero", "webrtc");
            assertThat(engines.defaultEngine()).isInstanceOf(EnergyVadEngine.class);
            assertThat(context.getBean(VadProperties.class).silero().model())
                    .isEqualTo(SileroVadEngine.DEFAULT_MODEL_RESOURCE);
        });
    }

    @Test
    void sileroCanBeTheDefault() {
        runner.withPropertyValues("voxline.vad.engine=silero", "voxline.vad.silero.threads=2").run(context -> {
            VadEngines engines = context.getBean(VadEngines.class);
            assertThat(engines.defaultEngine()).isInstanceOf(SileroVadEngine.class);
            assertThat(context.getBean(VadProperties.class).silero().threadCount()).isEqualTo(2);
        });
    }

    @Test
    void anUnknownDefaultEngineFailsTheStart() {
        runner.withPropertyValues("voxline.vad.engine=nope").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("unknown VAD engine 'nope'"));
    }
}

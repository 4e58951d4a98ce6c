package dev.voxline.stt.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.stt.engine.SttEngines;
import dev.voxline.stt.engine.VoskSttEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SttConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SttConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=stt-service");

    @Test
    void theDefaultStaysSimulatedAndVoskIsThereByName() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SttEngines engines = context.getBean(SttEngines.class);
            assertThat(engines.defaultEngine().name()).isEqualTo("simulated");
            assertThat(engines.select("vosk")).isInstanceOf(VoskSttEngine.class);
            assertThat(((VoskSttEngine) engines.select("vosk")).modelLoad()).as("the model loads lazily").isNull();
            SttProperties properties = context.getBean(SttProperties.class);
            assertThat(properties.language()).isEqualTo("en-us");
            assertThat(properties.vosk().interimEveryMs()).isEqualTo(200);
        });
    }

    @Test
    void anUnknownDefaultEngineStopsTheStart() {
        runner.withPropertyValues("voxline.stt.engine=whisper").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("unknown STT engine 'whisper'; available: simulated, vosk"));
    }
}

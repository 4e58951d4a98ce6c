package dev.voxline.tts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.testing.RecordingTransport;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.TtsEngines;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The engines the service wires: both always there, the default by {@code voxline.tts.engine}. */
class TtsConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(TtsConfiguration.class)
            .withBean(VoiceTransport.class, RecordingTransport::new)
            .withBean(TopicDeclarer.class, RecordingTransport::noTopics)
            .withPropertyValues("spring.application.name=tts-service");

    @Test
    void simulatedIsTheDefaultAndMaryTtsStaysUnloaded() {
        runner.run(context -> {
            TtsEngines engines = context.getBean(TtsEngines.class);
            assertThat(engines.defaultEngine().name()).isEqualTo("simulated");
            assertThat(engines.names()).containsExactly("marytts", "simulated");
            assertThat(context.getBean(MaryTtsProperties.class).voice()).isEqualTo("cmu-slt-hsmm");
        });
    }

    @Test
    void maryTtsAsTheDefaultIsWarmedUpAtStart() {
        runner.withPropertyValues("voxline.tts.engine=marytts").run(context -> {
            TtsEngines engines = context.getBean(TtsEngines.class);
            assertThat(engines.defaultEngine().name()).isEqualTo("marytts");
            MaryTtsEngine mary = context.getBean(MaryTtsEngine.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> mary.voices().contains("cmu-slt-hsmm"));
        });
    }

    @Test
    void anUnknownDefaultEngineStopsTheServiceWithAClearMessage() {
        runner.withPropertyValues("voxline.tts.engine=festival").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("unknown TTS engine 'festival' (voxline.tts.engine)")
                .hasMessageContaining("marytts, simulated"));
    }
}

package dev.voxline.tts.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.stage.TtsStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TtsProperties.class)
public class TtsConfiguration {

    @Bean
    TtsEngine ttsEngine(TtsProperties properties) {
        if (!SessionConfig.Engines.SIMULATED.equals(properties.engine())) {
            throw new IllegalStateException("unknown TTS engine '" + properties.engine()
                    + "' (voxline.tts.engine); available: simulated");
        }
        return new SimulatedTtsEngine(properties, Schedulers.parallel());
    }

    @Bean
    TtsStage ttsStage(VoiceTransport transport, TopicDeclarer topics, TtsEngine engine,
                      @Value("${spring.application.name}") String groupId) {
        return new TtsStage(transport, topics, groupId, engine);
    }
}

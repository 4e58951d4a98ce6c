package dev.voxline.stt.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.stt.engine.SimulatedSttEngine;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.stage.SttStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SttProperties.class)
public class SttConfiguration {

    @Bean
    SttEngine sttEngine(SttProperties properties) {
        if (!SessionConfig.Engines.SIMULATED.equals(properties.engine())) {
            throw new IllegalStateException("unknown STT engine '" + properties.engine()
                    + "' (voxline.stt.engine); available: simulated");
        }
        return new SimulatedSttEngine(properties.finalDelayMs(), properties.interimEveryMs(),
                properties.msPerWord(), Schedulers.parallel());
    }

    @Bean
    SttStage sttStage(VoiceTransport transport, TopicDeclarer topics, SttEngine engine,
                      @Value("${spring.application.name}") String groupId) {
        return new SttStage(transport, topics, groupId, engine);
    }
}

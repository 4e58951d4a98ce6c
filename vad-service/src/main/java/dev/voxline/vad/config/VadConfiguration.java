package dev.voxline.vad.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.stage.VadStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VadProperties.class)
public class VadConfiguration {

    @Bean
    VadEngine vadEngine(VadProperties properties) {
        if (!SessionConfig.Engines.SIMULATED.equals(properties.engine())) {
            throw new IllegalStateException("unknown VAD engine '" + properties.engine()
                    + "' (voxline.vad.engine); available: simulated");
        }
        return new EnergyVadEngine(properties.speechFloorDbfs(), properties.speechCeilingDbfs());
    }

    @Bean
    VadStage vadStage(VoiceTransport transport, TopicDeclarer topics, VadEngine engine, VadProperties properties,
                      @Value("${spring.application.name}") String groupId) {
        return new VadStage(transport, topics, groupId, engine, properties, Schedulers.parallel());
    }
}

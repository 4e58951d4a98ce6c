package dev.voxline.llm.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import dev.voxline.llm.stage.LlmStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
public class LlmConfiguration {

    @Bean
    LlmEngine llmEngine(LlmProperties properties) {
        if (!SessionConfig.Engines.SIMULATED.equals(properties.engine())) {
            throw new IllegalStateException("unknown LLM engine '" + properties.engine()
                    + "' (voxline.llm.engine); available: simulated");
        }
        return new SimulatedLlmEngine(properties.ttftMs(), properties.tokensPerSecond(), Schedulers.parallel());
    }

    @Bean
    LlmStage llmStage(VoiceTransport transport, TopicDeclarer topics, LlmEngine engine, LlmProperties properties,
                      @Value("${spring.application.name}") String groupId) {
        return new LlmStage(transport, topics, groupId, engine, properties);
    }
}

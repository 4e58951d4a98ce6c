package dev.voxline.llm;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineLifecycle;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.llm.engine.BuiltinLlmEngine;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import dev.voxline.llm.stage.LlmProperties;
import dev.voxline.llm.stage.LlmStage;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * llm-service's wiring: the chat models, the registry with the default of {@code voxline.llm.engine}, and the
 * stage. The {@code openai} engine is created on first use: without its settings it cannot be, and each session
 * that asks for it is told so (a default that cannot be created stops the start).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
public class LlmConfiguration {

    @Bean
    SimulatedLlmEngine simulatedLlmEngine(LlmProperties properties) {
        return new SimulatedLlmEngine(properties.ttftMs(), properties.tokensPerSecond(), Schedulers.parallel());
    }

    @Bean
    BuiltinLlmEngine builtinLlmEngine(LlmProperties properties) {
        return new BuiltinLlmEngine(builtinClock(properties.builtin()),
                Duration.ofMillis(Math.max(0, properties.builtin().wordDelayMs())), Schedulers.parallel());
    }

    static Clock builtinClock(LlmProperties.Builtin builtin) {
        String zone = builtin.zone();
        return zone == null || zone.isBlank() ? Clock.systemDefaultZone() : Clock.system(ZoneId.of(zone.strip()));
    }

    @Bean
    EngineRegistry<LlmEngine> llmEngines(List<LlmEngine> engines, LlmProperties properties) {
        return EngineRegistry.<LlmEngine>builder("LLM").addAll(engines)
                .addLazy(OpenAiLlmEngine.NAME, () -> new OpenAiLlmEngine(properties.openai()))
                .build(properties.engine());
    }

    /**
     * The default warms up, and so does a configured {@code openai} engine (its client's seconds of set-up) unless
     * its warm-up is off.
     */
    @Bean
    EngineLifecycle llmEngineLifecycle(EngineRegistry<LlmEngine> llmEngines, LlmProperties properties) {
        List<String> warmUp = new ArrayList<>(List.of(llmEngines.defaultName()));
        if (properties.openai().configured() && properties.openai().warmUp()) {
            warmUp.add(OpenAiLlmEngine.NAME);
        }
        return new EngineLifecycle(llmEngines, warmUp);
    }

    @Bean
    LlmStage llmStage(VoiceTransport transport, TopicDeclarer topics, EngineRegistry<LlmEngine> engines,
                      LlmProperties properties, @Value("${spring.application.name}") String groupId) {
        return new LlmStage(transport, topics, groupId, engines, properties, WallClock::micros, Schedulers.parallel());
    }
}

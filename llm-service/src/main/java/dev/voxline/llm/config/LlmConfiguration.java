package dev.voxline.llm.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.llm.engine.BuiltinLlmEngine;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmEngines;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import dev.voxline.llm.stage.LlmStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
public class LlmConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LlmConfiguration.class);

    /** Every engine by name, created on first use; the default is created now, so a bad default fails the start. */
    @Bean
    LlmEngines llmEngines(LlmProperties properties) {
        Map<String, Supplier<LlmEngine>> factories = new LinkedHashMap<>();
        factories.put(SessionConfig.Engines.SIMULATED, () -> new SimulatedLlmEngine(properties.ttftMs(),
                properties.tokensPerSecond(), Schedulers.parallel()));
        factories.put(BuiltinLlmEngine.NAME, () -> new BuiltinLlmEngine(builtinClock(properties.builtin()),
                Duration.ofMillis(Math.max(0, properties.builtin().wordDelayMs())), Schedulers.parallel()));
        factories.put(OpenAiLlmEngine.NAME, () -> new OpenAiLlmEngine(properties.openai()));
        LlmEngines engines = new LlmEngines(properties.engine(), factories);
        engines.defaultEngine();
        if (properties.openai().configured() && properties.openai().warmUp()) {
            // seconds of class loading and set-up, off the first turn and off the Kafka poll thread
            Mono.fromRunnable(() -> {
                long start = System.nanoTime();
                LlmEngine engine = engines.get(OpenAiLlmEngine.NAME);
                if (engine instanceof OpenAiLlmEngine openai) {
                    openai.warmUp();
                    log.info("LLM engine openai ready ({}) in {} ms", openai.description(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            }).subscribeOn(Schedulers.boundedElastic()).subscribe(null,
                    error -> log.warn("LLM engine openai could not be prepared: {}", error.toString()));
        }
        return engines;
    }

    static Clock builtinClock(LlmProperties.Builtin builtin) {
        String zone = builtin.zone();
        return zone == null || zone.isBlank() ? Clock.systemDefaultZone() : Clock.system(ZoneId.of(zone.strip()));
    }

    @Bean
    LlmStage llmStage(VoiceTransport transport, TopicDeclarer topics, LlmEngines engines, LlmProperties properties,
                      @Value("${spring.application.name}") String groupId) {
        return new LlmStage(transport, topics, groupId, engines, properties);
    }
}

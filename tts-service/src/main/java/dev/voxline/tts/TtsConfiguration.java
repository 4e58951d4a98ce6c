package dev.voxline.tts;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineLifecycle;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.MaryTtsProperties;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsProperties;
import dev.voxline.tts.stage.TtsStage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * tts-service's wiring: the synthesisers, the registry with the default of {@code voxline.tts.engine} (warmed up
 * before the stage consumes unless {@code voxline.tts.marytts.warm-up=false}), and the stage.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TtsProperties.class, MaryTtsProperties.class})
public class TtsConfiguration {

    @Bean
    SimulatedTtsEngine simulatedTtsEngine(TtsProperties properties) {
        return new SimulatedTtsEngine(properties, Schedulers.parallel());
    }

    /** MaryTTS starts on warm-up or first use; its threads are its own (the registry closes them). */
    @Bean(destroyMethod = "")
    MaryTtsEngine maryTtsEngine(TtsProperties properties, MaryTtsProperties mary) {
        return new MaryTtsEngine(mary.voice(), properties.chunkMs(), Schedulers.newBoundedElastic(
                Math.max(1, mary.threads()), 1_000, "marytts"));
    }

    @Bean
    EngineRegistry<TtsEngine> ttsEngines(List<TtsEngine> engines, TtsProperties properties) {
        return EngineRegistry.<TtsEngine>builder("TTS").addAll(engines).build(properties.engine());
    }

    @Bean
    EngineLifecycle ttsEngineLifecycle(EngineRegistry<TtsEngine> ttsEngines, MaryTtsProperties mary) {
        return mary.warmUp() ? EngineLifecycle.warmingTheDefault(ttsEngines) : new EngineLifecycle(ttsEngines,
                List.of());
    }

    @Bean
    TtsStage ttsStage(VoiceTransport transport, TopicDeclarer topics, EngineRegistry<TtsEngine> engines,
                      TtsProperties properties, ObjectProvider<MeterRegistry> meters,
                      @Value("${spring.application.name}") String groupId) {
        return new TtsStage(transport, topics, groupId, engines, properties, WallClock::micros,
                meters.getIfAvailable());
    }
}

package dev.voxline.stt;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineLifecycle;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.stt.engine.SimulatedSttEngine;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.SttProperties;
import dev.voxline.stt.engine.VoskModelFiles;
import dev.voxline.stt.engine.VoskSttEngine;
import dev.voxline.stt.stage.SttStage;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * stt-service's wiring: the recognisers, the registry with the default of {@code voxline.stt.engine} (its model
 * loaded before the stage consumes), and the stage.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SttProperties.class)
public class SttConfiguration {

    /** Native decoding, bounded: never the poll thread or an event loop. */
    @Bean(destroyMethod = "dispose")
    Scheduler sttDecodingScheduler(SttProperties properties) {
        int threads = properties.vosk().threads() > 0 ? properties.vosk().threads()
                : Runtime.getRuntime().availableProcessors();
        return Schedulers.newBoundedElastic(threads, 10_000, "stt-decode");
    }

    @Bean
    SimulatedSttEngine simulatedSttEngine(SttProperties properties) {
        return new SimulatedSttEngine(properties.finalDelayMs(), properties.interimEveryMs(), properties.msPerWord(),
                Schedulers.parallel());
    }

    /** The model is unpacked and loaded on warm-up (when Vosk is the default) or on its first utterance. */
    @Bean
    VoskSttEngine voskSttEngine(SttProperties properties, Scheduler sttDecodingScheduler) {
        SttProperties.Vosk vosk = properties.vosk();
        Path cacheDir = vosk.cacheDir().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "voxline-vosk") : Path.of(vosk.cacheDir());
        Path modelPath = vosk.modelPath().isBlank() ? null : Path.of(vosk.modelPath());
        ClassLoader loader = SttConfiguration.class.getClassLoader();
        return new VoskSttEngine(() -> VoskModelFiles.resolve(properties.language(), modelPath, cacheDir, loader),
                sttDecodingScheduler, vosk.interimEveryMs());
    }

    @Bean
    EngineRegistry<SttEngine> sttEngines(List<SttEngine> engines, SttProperties properties) {
        return EngineRegistry.<SttEngine>builder("STT").addAll(engines).build(properties.engine());
    }

    @Bean
    EngineLifecycle sttEngineLifecycle(EngineRegistry<SttEngine> sttEngines) {
        return EngineLifecycle.warmingTheDefault(sttEngines);
    }

    @Bean
    SttStage sttStage(VoiceTransport transport, TopicDeclarer topics, EngineRegistry<SttEngine> engines,
                      @Value("${spring.application.name}") String groupId) {
        return new SttStage(transport, topics, groupId, engines, WallClock::micros);
    }
}

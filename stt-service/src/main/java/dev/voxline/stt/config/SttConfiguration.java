package dev.voxline.stt.config;

import dev.voxline.stt.engine.SimulatedSttEngine;
import dev.voxline.stt.engine.SttEngines;
import dev.voxline.stt.engine.VoskModelFiles;
import dev.voxline.stt.engine.VoskSttEngine;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.stt.stage.SttStage;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SttProperties.class)
public class SttConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SttConfiguration.class);

    /** Native decoding, bounded: never the poll thread or an event loop. */
    @Bean(destroyMethod = "dispose")
    Scheduler sttDecodingScheduler(SttProperties properties) {
        int threads = properties.vosk().threads() > 0 ? properties.vosk().threads()
                : Runtime.getRuntime().availableProcessors();
        return Schedulers.newBoundedElastic(threads, 10_000, "stt-decode");
    }

    /** Every engine, created once and shared by the sessions; Vosk loads its model on first use. */
    @Bean
    SttEngines sttEngines(SttProperties properties, Scheduler sttDecodingScheduler) {
        SttProperties.Vosk vosk = properties.vosk();
        Path cacheDir = vosk.cacheDir().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "voxline-vosk") : Path.of(vosk.cacheDir());
        Path modelPath = vosk.modelPath().isBlank() ? null : Path.of(vosk.modelPath());
        ClassLoader loader = SttConfiguration.class.getClassLoader();
        VoskSttEngine voskEngine = new VoskSttEngine(
                () -> VoskModelFiles.resolve(properties.language(), modelPath, cacheDir, loader),
                sttDecodingScheduler, vosk.interimEveryMs());
        SttEngines engines = new SttEngines(properties.engine(),
                new SimulatedSttEngine(properties.finalDelayMs(), properties.interimEveryMs(),
                        properties.msPerWord(), Schedulers.parallel()),
                voskEngine);
        if (VoskSttEngine.NAME.equals(properties.engine())) {
            // The default engine: load the model now, in the background, rather than on the first utterance.
            voskEngine.preload().subscribe(load -> { }, error -> log.error("Vosk model failed to load", error));
        }
        return engines;
    }

    @Bean
    SttStage sttStage(VoiceTransport transport, TopicDeclarer topics, SttEngines engines,
                      @Value("${spring.application.name}") String groupId) {
        return new SttStage(transport, topics, groupId, engines);
    }
}

package dev.voxline.tts.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.tts.engine.MaryTtsEngine;
import dev.voxline.tts.engine.SimulatedTtsEngine;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsEngines;
import dev.voxline.tts.engine.TtsSettings;
import dev.voxline.tts.stage.TtsStage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TtsProperties.class, MaryTtsProperties.class})
public class TtsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TtsConfiguration.class);

    @Bean
    SimulatedTtsEngine simulatedTtsEngine(TtsProperties properties) {
        return new SimulatedTtsEngine(properties, Schedulers.parallel());
    }

    /** MaryTTS loads on first use (or at start when it is the default and warm-up is on); its threads are its own. */
    @Bean(destroyMethod = "close")
    MaryTtsEngine maryTtsEngine(TtsProperties properties, MaryTtsProperties mary) {
        return new MaryTtsEngine(mary.voice(), properties.chunkMs(), Schedulers.newBoundedElastic(
                Math.max(1, mary.threads()), 1_000, "marytts"));
    }

    @Bean
    TtsEngines ttsEngines(TtsProperties properties, MaryTtsProperties mary, SimulatedTtsEngine simulated,
                          MaryTtsEngine maryTts) {
        Map<String, TtsEngine> engines = new LinkedHashMap<>();
        engines.put(SessionConfig.Engines.SIMULATED, simulated);
        engines.put(MaryTtsEngine.NAME, maryTts);
        TtsEngines all = new TtsEngines(engines, properties.engine());
        if (all.defaultEngine() == maryTts && mary.warmUp()) {
            maryTts.synthesize("Hello.", new TtsSettings(16_000, null, null)).then().subscribe(
                    done -> { },
                    error -> log.warn("MaryTTS warm-up failed; the first synthesis will try again: {}",
                            error.toString()));
        }
        return all;
    }

    @Bean
    TtsStage ttsStage(VoiceTransport transport, TopicDeclarer topics, TtsEngines engines, TtsProperties properties,
                      ObjectProvider<MeterRegistry> meters, @Value("${spring.application.name}") String groupId) {
        return new TtsStage(transport, topics, groupId, engines, meters.getIfAvailable(),
                properties.chunksPerRecord());
    }
}

package dev.voxline.vad.config;

import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.SileroVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.VadEngines;
import dev.voxline.vad.engine.WebRtcVadEngine;
import dev.voxline.vad.stage.VadStage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VadProperties.class)
public class VadConfiguration {

    /** Every detector by name; each is created (and Silero's model loaded) when a session first uses it. */
    @Bean(destroyMethod = "close")
    VadEngines vadEngines(VadProperties properties) {
        Map<String, Supplier<VadEngine>> engines = new LinkedHashMap<>();
        engines.put(SessionConfig.Engines.SIMULATED,
                () -> new EnergyVadEngine(properties.speechFloorDbfs(), properties.speechCeilingDbfs()));
        VadProperties.Silero silero = properties.silero() != null ? properties.silero()
                : VadProperties.Silero.defaults();
        engines.put(SileroVadEngine.NAME, () -> new SileroVadEngine(silero.model(), silero.threadCount()));
        VadProperties.WebRtc webrtc = properties.webrtc() != null ? properties.webrtc()
                : VadProperties.WebRtc.defaults();
        engines.put(WebRtcVadEngine.NAME, () -> new WebRtcVadEngine(webrtc.mode(), webrtc.threads()));
        return new VadEngines(engines, properties.engine());
    }

    @Bean
    VadStage vadStage(VoiceTransport transport, TopicDeclarer topics, VadEngines engines, VadProperties properties,
                      @Value("${spring.application.name}") String groupId) {
        return new VadStage(transport, topics, groupId, engines, properties, Schedulers.parallel());
    }
}

package dev.voxline.vad;

import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineLifecycle;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.vad.engine.EnergyVadEngine;
import dev.voxline.vad.engine.SileroVadEngine;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.WebRtcVadEngine;
import dev.voxline.vad.stage.VadProperties;
import dev.voxline.vad.stage.VadStage;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * vad-service's wiring: the detectors (each loads its model or native library on warm-up or first use; the
 * registry closes them), the registry with the default of {@code voxline.vad.engine}, and the stage.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VadProperties.class)
public class VadConfiguration {

    @Bean
    EnergyVadEngine energyVadEngine(VadProperties properties) {
        return new EnergyVadEngine(properties.speechFloorDbfs(), properties.speechCeilingDbfs());
    }

    @Bean(destroyMethod = "")
    SileroVadEngine sileroVadEngine(VadProperties properties) {
        VadProperties.Silero silero = properties.silero();
        return new SileroVadEngine(silero.model(), silero.threadCount());
    }

    @Bean(destroyMethod = "")
    WebRtcVadEngine webRtcVadEngine(VadProperties properties) {
        VadProperties.WebRtc webrtc = properties.webrtc();
        return new WebRtcVadEngine(webrtc.mode(), webrtc.threads());
    }

    @Bean
    EngineRegistry<VadEngine> vadEngines(List<VadEngine> engines, VadProperties properties) {
        return EngineRegistry.<VadEngine>builder("VAD").addAll(engines).build(properties.engine());
    }

    /** The default detector's model is loaded before the stage consumes, so the first turn does not wait for it. */
    @Bean
    EngineLifecycle vadEngineLifecycle(EngineRegistry<VadEngine> vadEngines) {
        return EngineLifecycle.warmingTheDefault(vadEngines);
    }

    @Bean
    VadStage vadStage(VoiceTransport transport, TopicDeclarer topics, EngineRegistry<VadEngine> engines,
                      VadProperties properties, @Value("${spring.application.name}") String groupId) {
        return new VadStage(transport, topics, groupId, engines, properties, Schedulers.parallel());
    }
}

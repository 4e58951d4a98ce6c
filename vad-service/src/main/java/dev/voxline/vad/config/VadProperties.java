package dev.voxline.vad.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * vad-service settings ({@code voxline.vad.*}); the defaults work offline.
 *
 * @param engine            the speech detector: {@code simulated} (energy based) until Silero/WebRTC arrive
 * @param defaultProfile    endpointing profile for sessions that do not choose one
 * @param preRollMs         audio kept before the first voiced frame and sent to STT with the speech (≥ 200 ms)
 * @param decisionDelayMs   extra wait between the end of the silence window and announcing the pause
 * @param speechFloorDbfs   energy detector: level with speech probability 0
 * @param speechCeilingDbfs energy detector: level with speech probability 1
 */
@ConfigurationProperties("voxline.vad")
public record VadProperties(
        @DefaultValue("simulated") String engine,
        @DefaultValue("low-latency") String defaultProfile,
        @DefaultValue("200") int preRollMs,
        @DefaultValue("0") int decisionDelayMs,
        @DefaultValue("-50") double speechFloorDbfs,
        @DefaultValue("-30") double speechCeilingDbfs) {
}

package dev.voxline.tts.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * tts-service settings ({@code voxline.tts.*}); the defaults work offline.
 *
 * @param engine         the synthesiser of sessions that name none: {@code simulated} or {@code marytts}
 *                       (a session names its own in {@code engines.tts})
 * @param ttfbMs         simulated: time from a clause to its first audio chunk
 * @param realTimeFactor simulated: synthesis time ÷ audio duration after the first chunk (0 = instant)
 * @param chunkMs        audio per chunk sent to the gateway
 * @param msPerCharacter simulated: speech duration per character of text
 * @param minDurationMs  simulated: the shortest clause audio
 * @param peakDbfs       simulated: peak level of the voice-like signal
 */
@ConfigurationProperties("voxline.tts")
public record TtsProperties(
        @DefaultValue("simulated") String engine,
        @DefaultValue("80") int ttfbMs,
        @DefaultValue("0.2") double realTimeFactor,
        @DefaultValue("100") int chunkMs,
        @DefaultValue("60") int msPerCharacter,
        @DefaultValue("300") int minDurationMs,
        @DefaultValue("-10") double peakDbfs) {
}

package dev.voxline.tts.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * tts-service settings ({@code voxline.tts.*}); the defaults work offline.
 *
 * @param engine         the synthesiser of sessions that name none: {@code marytts} or {@code simulated}
 *                       (a session names its own in {@code engines.tts})
 * @param ttfbMs         simulated: time from a clause to its first audio chunk
 * @param realTimeFactor simulated: synthesis time ÷ audio duration after the first chunk (0 = instant)
 * @param chunkMs        audio per chunk sent to the gateway
 * @param msPerCharacter simulated: speech duration per character of text
 * @param minDurationMs  simulated: the shortest clause audio
 * @param peakDbfs       simulated: peak level of the voice-like signal
 * @param downlinkRecordMs reply audio per voice.downlink record, at most: a clause's first chunk goes alone (the
 *                       first audio waits for nothing), then records of 2, 4 … engine chunks up to this. Kafka's
 *                       cost is per record; the gateway paces and re-frames the audio anyway. Suits engines faster
 *                       than real time (both here are); set it to {@code chunkMs} for one that streams at real time
 */
@ConfigurationProperties("voxline.tts")
public record TtsProperties(
        @DefaultValue("marytts") String engine,
        @DefaultValue("80") int ttfbMs,
        @DefaultValue("0.2") double realTimeFactor,
        @DefaultValue("100") int chunkMs,
        @DefaultValue("60") int msPerCharacter,
        @DefaultValue("300") int minDurationMs,
        @DefaultValue("-10") double peakDbfs,
        @DefaultValue("400") int downlinkRecordMs) {

    /** Engine chunks in the largest voice.downlink audio record. */
    public int chunksPerRecord() {
        return Math.max(1, downlinkRecordMs / Math.max(1, chunkMs));
    }
}

package dev.voxline.stt.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * stt-service settings ({@code voxline.stt.*}); the defaults work offline.
 *
 * @param engine          the recogniser: {@code simulated} until Vosk and cloud engines arrive
 * @param finalDelayMs    simulated: time from the end of the utterance to the final transcript
 * @param interimEveryMs  simulated: an interim transcript per this much audio
 * @param msPerWord       simulated: audio per revealed word of a scripted transcript in interim results
 */
@ConfigurationProperties("voxline.stt")
public record SttProperties(
        @DefaultValue("simulated") String engine,
        @DefaultValue("50") int finalDelayMs,
        @DefaultValue("500") int interimEveryMs,
        @DefaultValue("400") int msPerWord) {
}

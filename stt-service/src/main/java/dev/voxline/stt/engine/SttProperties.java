package dev.voxline.stt.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * stt-service settings ({@code voxline.stt.*}); the defaults work offline.
 *
 * @param engine          the default recogniser, for sessions that do not name one: {@code vosk} or
 *                        {@code simulated}
 * @param language        the fixed recognition language (real engines): {@code en-us} is the model that ships
 * @param finalDelayMs    simulated: time from the end of the utterance to the final transcript
 * @param interimEveryMs  simulated: an interim transcript per this much audio
 * @param msPerWord       simulated: audio per revealed word of a scripted transcript in interim results
 * @param vosk            the Vosk engine
 */
@ConfigurationProperties("voxline.stt")
public record SttProperties(
        @DefaultValue("vosk") String engine,
        @DefaultValue("en-us") String language,
        @DefaultValue("50") int finalDelayMs,
        @DefaultValue("500") int interimEveryMs,
        @DefaultValue("400") int msPerWord,
        @DefaultValue Vosk vosk) {

    /**
     * @param modelPath      an unpacked Vosk model directory to use instead of the one that ships (empty: the
     *                       shipped model of {@code language})
     * @param cacheDir       where the shipped model is unpacked on first use (empty: {@code <java.io.tmpdir>/voxline-vosk})
     * @param interimEveryMs an interim transcript per this much audio, when its text changed
     * @param threads        decoding threads, shared by all sessions (0: one per CPU)
     */
    public record Vosk(
            @DefaultValue("") String modelPath,
            @DefaultValue("") String cacheDir,
            @DefaultValue("200") int interimEveryMs,
            @DefaultValue("0") int threads) {
    }
}

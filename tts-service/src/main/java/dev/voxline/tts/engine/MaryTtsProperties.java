package dev.voxline.tts.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MaryTTS engine ({@code voxline.tts.marytts.*}), used by sessions whose {@code engines.tts} is
 * {@code marytts} or by all when it is the default ({@code voxline.tts.engine}). Everything it needs is on the
 * classpath.
 *
 * @param voice   the MaryTTS voice when the session names none it has
 * @param threads syntheses at once (MaryTTS is CPU-bound: one sentence per thread); more wait in line
 * @param warmUp  when {@code marytts} is the default engine: start MaryTTS and synthesise a word before the service
 *                reports ready (about 3 s) instead of on the first turn
 */
@ConfigurationProperties("voxline.tts.marytts")
public record MaryTtsProperties(
        @DefaultValue("cmu-slt-hsmm") String voice,
        @DefaultValue("2") int threads,
        @DefaultValue("true") boolean warmUp) {
}

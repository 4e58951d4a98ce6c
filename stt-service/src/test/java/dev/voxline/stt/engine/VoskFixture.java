package dev.voxline.stt.engine;

import java.nio.file.Path;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One Vosk engine for every test class in this JVM, as the service has one: its model (the one that ships, unpacked
 * into target/vosk-model-cache) loads once.
 */
public final class VoskFixture {

    private static VoskSttEngine engine;
    private static Scheduler scheduler;

    private VoskFixture() {
    }

    public static synchronized VoskSttEngine engine() {
        if (engine == null) {
            scheduler = Schedulers.newBoundedElastic(2, 1_000, "test-stt-decode");
            Path cache = Path.of("target", "vosk-model-cache").toAbsolutePath();
            engine = new VoskSttEngine(() -> VoskModelFiles.resolve("en-us", null, cache,
                    VoskFixture.class.getClassLoader()), scheduler, 200);
        }
        return engine;
    }
}

package dev.voxline.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VoskModelFilesTests {

    private final ClassLoader loader = getClass().getClassLoader();

    @TempDir
    Path cache;

    @Test
    void theShippedModelIsUnpackedOnceAndReused() throws Exception {
        Path model = VoskModelFiles.resolve("en-us", null, cache, loader);

        assertThat(model.getParent()).isEqualTo(cache);
        assertThat(model.resolve("am/final.mdl")).isRegularFile();
        assertThat(model.resolve("conf/model.conf")).isRegularFile();
        assertThat(model.resolve("graph/HCLr.fst")).isRegularFile();
        FileTime unpacked = Files.getLastModifiedTime(model.resolve("am/final.mdl"));

        assertThat(VoskModelFiles.resolve("en-us", null, cache, loader)).isEqualTo(model);
        assertThat(Files.getLastModifiedTime(model.resolve("am/final.mdl"))).isEqualTo(unpacked);
        try (var entries = Files.list(cache)) {
            assertThat(entries).containsExactly(model); // no leftovers of the unpacking
        }
    }

    @Test
    void aLanguageWithoutAModelIsAClearError() {
        assertThat(VoskModelFiles.resourceName("de-de")).isEqualTo("vosk/vosk-model-de.aar");
        assertThatThrownBy(() -> VoskModelFiles.resolve("de-de", null, cache, loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Vosk model for language 'de-de'")
                .hasMessageContaining("voxline.stt.vosk.model-path");
    }

    @Test
    void aConfiguredModelPathIsUsedAsItIs() throws Exception {
        Path own = Files.createDirectories(cache.resolve("my-model/am"));
        assertThat(VoskModelFiles.resolve("en-us", own.getParent(), cache, loader)).isEqualTo(own.getParent());
        assertThatThrownBy(() -> VoskModelFiles.resolve("en-us", cache.resolve("nothing"), cache, loader))
                .hasMessageContaining("is not an unpacked Vosk model");
    }
}

package dev.voxline.gateway.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's recorded speech (16 kHz mono PCM16 WAVs of other modules), read in place. */
public final class SpeechFixtures {

    public static final String HELLO = "voxline-local/src/test/resources/audio/hello-16k.wav";
    public static final String QUESTION = "voxline-local/src/test/resources/audio/question-16k.wav";
    static final String PHRASES = "loadtest/src/main/resources/audio/phrases";

    private SpeechFixtures() {
    }

    /** The samples of a WAV under the repository root. */
    public static short[] load(String relativePath) {
        return read(root().resolve(relativePath));
    }

    /** Every phrase WAV, sorted by name. */
    public static List<Path> phrases() {
        try (Stream<Path> files = Files.list(root().resolve(PHRASES))) {
            return files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A WAV on the test classpath. */
    static Path resource(String name) {
        try {
            return Path.of(SpeechFixtures.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static short[] read(Path wav) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
            bytes.position(12);
            while (bytes.remaining() >= 8) {
                int id = bytes.getInt();
                int size = bytes.getInt();
                if (id == 0x61746164) { // "data"
                    short[] samples = new short[Math.min(size, bytes.remaining()) / 2];
                    bytes.asShortBuffer().get(samples);
                    return samples;
                }
                bytes.position(bytes.position() + size + (size & 1));
            }
            throw new IllegalStateException(wav + " has no data chunk");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire runs in the module's directory; the fixtures live in sibling modules. */
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("loadtest"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}

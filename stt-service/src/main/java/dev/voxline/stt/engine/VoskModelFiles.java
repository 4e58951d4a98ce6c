package dev.voxline.stt.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Vosk model of a language is on disk. Vosk reads its model from a directory, so the model that ships
 * on the classpath — the Maven Central aar {@code com.alphacephei:vosk-model-<lang>} copied at build time to
 * {@code vosk/vosk-model-<lang>.aar}, whose {@code assets/model-<language>/} is the model — is unpacked once into a
 * cache directory, keyed by the aar's content hash, and reused by later starts. Nothing is downloaded.
 */
public final class VoskModelFiles {

    private static final Logger log = LoggerFactory.getLogger(VoskModelFiles.class);
    private static final String COMPLETE = ".complete";

    private VoskModelFiles() {
    }

    /** The classpath resource holding the model of {@code language} ("en-us" → {@code vosk/vosk-model-en.aar}). */
    public static String resourceName(String language) {
        String lang = language.toLowerCase(Locale.ROOT);
        int dash = lang.indexOf('-');
        return "vosk/vosk-model-" + (dash > 0 ? lang.substring(0, dash) : lang) + ".aar";
    }

    /**
     * The model directory of {@code language}: {@code modelPath} when given (an unpacked Vosk model), otherwise the
     * shipped model unpacked under {@code cacheDir}.
     */
    public static Path resolve(String language, Path modelPath, Path cacheDir, ClassLoader loader) {
        if (modelPath != null) {
            if (!Files.isDirectory(modelPath.resolve("am")) && !Files.isRegularFile(modelPath.resolve("final.mdl"))) {
                throw new IllegalStateException("voxline.stt.vosk.model-path " + modelPath
                        + " is not an unpacked Vosk model (no am/ directory)");
            }
            return modelPath;
        }
        String resource = resourceName(language);
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no Vosk model for language '" + language + "': classpath resource "
                    + resource + " is missing (set voxline.stt.vosk.model-path to an unpacked model)");
        }
        try {
            return unpack(url, "assets/model-" + language.toLowerCase(Locale.ROOT) + "/", cacheDir, language);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the Vosk model " + resource + " into " + cacheDir, e);
        }
    }

    private static Path unpack(URL aar, String prefix, Path cacheDir, String language) throws IOException {
        String key = hash(aar);
        Path target = cacheDir.resolve("model-" + language.toLowerCase(Locale.ROOT) + "-" + key);
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return target;
        }
        long start = System.nanoTime();
        Files.createDirectories(cacheDir);
        Path tmp = cacheDir.resolve(".unpack-" + key + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        int files = 0;
        try (ZipInputStream zip = new ZipInputStream(aar.openStream())) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                    continue;
                }
                Path file = tmp.resolve(entry.getName().substring(prefix.length())).normalize();
                if (!file.startsWith(tmp)) {
                    throw new IOException("bad entry " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(zip, file, StandardCopyOption.REPLACE_EXISTING);
                files++;
            }
        }
        if (files == 0) {
            deleteTree(tmp);
            throw new IllegalStateException("the Vosk model aar " + aar + " has no " + prefix + " entries");
        }
        Files.createFile(tmp.resolve(COMPLETE));
        try {
            if (Files.exists(target)) {
                deleteTree(target); // an unpack that never completed
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            deleteTree(tmp); // another process unpacked it meanwhile
        }
        if (!Files.isRegularFile(target.resolve(COMPLETE))) {
            throw new IOException("the unpacked Vosk model is not in " + target);
        }
        log.info("Vosk model {} unpacked into {} ({} files, {} ms)", language, target, files,
                (System.nanoTime() - start) / 1_000_000);
        return target;
    }

    private static String hash(URL url) throws IOException {
        try (DigestInputStream in = new DigestInputStream(url.openStream(), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(in.getMessageDigest().digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

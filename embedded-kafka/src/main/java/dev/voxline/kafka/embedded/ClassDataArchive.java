package dev.voxline.kafka.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dynamic AppCDS archive for the broker JVM, cached per JDK and broker class path.
 *
 * <p>Most of a cold broker start is class loading and verification of Scala and Kafka classes; with
 * the archive the child maps them pre-parsed, which roughly halves start-up on 2 cores. The first
 * broker with a given class path records its classes when it exits cleanly; later ones use them. A
 * stale or unreadable archive is only a warning in the broker log ({@code -Xshare:auto} is the JDK
 * default), never a failed start.
 */
final class ClassDataArchive {

    static final String ENABLED_PROPERTY = "voxline.broker.cds";
    static final String DIR_PROPERTY = "voxline.broker.cds.dir";
    private static final int KEEP_ARCHIVES = 3;

    private final Path archive;
    private final Path pending;
    private boolean recording;

    private ClassDataArchive(Path archive) {
        this.archive = archive;
        this.pending = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
    }

    /** Returns null when sharing is switched off or the class path cannot be archived (directories in it). */
    static ClassDataArchive forBroker(BrokerClasspath.Resolved classpath, boolean enabled) {
        if (!enabled || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY)) || !classpath.allJars()) {
            return null;
        }
        Path dir = Path.of(System.getProperty(DIR_PROPERTY,
                Path.of(System.getProperty("java.io.tmpdir"), "voxline-kafka-cds").toString()));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return null;
        }
        return new ClassDataArchive(dir.resolve("broker-" + key(classpath) + ".jsa"));
    }

    /** JVM options for a child: use the archive if there is one, otherwise (for the broker) record one at exit. */
    synchronized List<String> jvmOptions(boolean recordIfMissing) {
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        if (recordIfMissing && !recording) {
            recording = true;
            // recording warns about every class it skips, which would bury a failing broker's last words
            return List.of("-XX:ArchiveClassesAtExit=" + pending, "-Xlog:cds*=off");
        }
        return List.of();
    }

    /** After the broker exited: keep what it recorded only if it exited by itself (a killed JVM leaves a torn file). */
    synchronized void finish(boolean exitedCleanly) {
        if (!recording) {
            return;
        }
        recording = false;
        try {
            if (exitedCleanly && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                pruneOlderArchives();
            }
        } catch (IOException | RuntimeException ignored) {
            // only a cache: the next broker records again
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // left in a temp directory
            }
        }
    }

    /** Archives of class paths that changed since (a Kafka upgrade, a rebuilt local repo) are 50 MB each. */
    private void pruneOlderArchives() throws IOException {
        try (Stream<Path> archives = Files.list(archive.getParent())) {
            archives.filter(p -> p.getFileName().toString().matches("broker-[0-9a-f]+\\.jsa"))
                    .sorted(Comparator.comparing(ClassDataArchive::modified).reversed())
                    .skip(KEEP_ARCHIVES)
                    .forEach(p -> {
                        try {
                            // a JVM that has it mapped keeps its copy until it exits
                            Files.deleteIfExists(p);
                        } catch (IOException ignored) {
                            // next time
                        }
                    });
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    Path path() {
        return archive;
    }

    /** Heap size and GC do not invalidate a dynamic archive; the JDK and every jar do. */
    private static String key(BrokerClasspath.Resolved classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder material = new StringBuilder()
                    .append(System.getProperty("java.home")).append('\n')
                    .append(System.getProperty("java.vm.version")).append('\n');
            for (Path jar : classpath.entries()) {
                material.append(jar).append(' ').append(Files.size(jar)).append(' ')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
            byte[] hash = digest.digest(material.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot key the class data archive", e);
        }
    }
}

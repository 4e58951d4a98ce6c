package dev.voxline.kafka.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Finds the jars the child broker JVM runs from.
 *
 * <p>The parent JVM's own class path is usually useless for this: Surefire runs tests from a
 * manifest-only jar and a Spring Boot fat jar nests its libraries. So the build writes
 * {@value #RESOURCE} next to this class: the absolute local-repository paths of the broker's runtime
 * dependencies, resolved when this module was built on this machine. Order of preference:
 * <ol>
 *   <li>system property {@value #OVERRIDE_PROPERTY} (path-separator list), used as given;</li>
 *   <li>the build-time list, if every entry still exists;</li>
 *   <li>{@code java.class.path}, with manifest {@code Class-Path} entries of its jars expanded
 *       (which is what a Surefire booter jar holds).</li>
 * </ol>
 * Whatever is chosen must contain {@code kafka.Kafka}, otherwise resolution fails with a message that
 * says what was tried.
 */
final class BrokerClasspath {

    static final String RESOURCE = "broker.classpath";
    static final String OVERRIDE_PROPERTY = "voxline.broker.classpath";
    static final String BROKER_MAIN = "kafka.Kafka";
    private static final String BROKER_MAIN_ENTRY = "kafka/Kafka.class";

    private BrokerClasspath() {
    }

    /** Where the chosen entries came from, for log lines and error messages. */
    record Resolved(List<Path> entries, String source) {

        String asArgument() {
            return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
        }

        boolean allJars() {
            return entries.stream().allMatch(p -> Files.isRegularFile(p) && p.toString().endsWith(".jar"));
        }
    }

    static Resolved resolve() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            List<Path> entries = split(override);
            requireBrokerMain(entries, "system property " + OVERRIDE_PROPERTY);
            return new Resolved(entries, "system property " + OVERRIDE_PROPERTY);
        }

        List<String> problems = new ArrayList<>();
        List<Path> buildTime = readResource(problems);
        if (buildTime != null) {
            List<Path> missing = buildTime.stream().filter(p -> !Files.exists(p)).toList();
            if (missing.isEmpty() && containsBrokerMain(buildTime)) {
                return new Resolved(buildTime, "build-time " + RESOURCE);
            }
            problems.add(missing.isEmpty()
                    ? RESOURCE + " has no " + BROKER_MAIN
                    : RESOURCE + " lists " + missing.size() + " of " + buildTime.size()
                            + " jars that no longer exist (first: " + missing.get(0) + ")");
        }

        List<Path> runtime = expandManifests(split(System.getProperty("java.class.path", "")));
        if (containsBrokerMain(runtime)) {
            return new Resolved(runtime, "java.class.path");
        }
        problems.add("java.class.path (" + runtime.size() + " entries, manifests expanded) has no " + BROKER_MAIN);

        throw new EmbeddedKafkaException("Cannot find the Kafka broker classes for the child JVM: "
                + String.join("; ", problems)
                + ". Rebuild embedded-kafka on this machine (mvn -pl embedded-kafka install), or set -D"
                + OVERRIDE_PROPERTY + "=<jars of org.apache.kafka:kafka_2.13 and its runtime dependencies>.");
    }

    private static List<Path> readResource(List<String> problems) {
        try (InputStream in = BrokerClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                problems.add("resource " + RESOURCE + " is missing from the embedded-kafka jar");
                return null;
            }
            return split(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add("resource " + RESOURCE + " is unreadable: " + e.getMessage());
            return null;
        }
    }

    static List<Path> split(String pathList) {
        List<Path> entries = new ArrayList<>();
        for (String entry : pathList.strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry.strip()));
            }
        }
        return entries;
    }

    /** Adds what each jar's manifest {@code Class-Path} points at, as a Surefire booter jar carries the real class path there. */
    private static List<Path> expandManifests(List<Path> entries) {
        Set<Path> expanded = new LinkedHashSet<>();
        for (Path entry : entries) {
            if (!Files.exists(entry)) {
                continue;
            }
            expanded.add(entry);
            if (!Files.isRegularFile(entry)) {
                continue;
            }
            try (JarFile jar = new JarFile(entry.toFile())) {
                var manifest = jar.getManifest();
                String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (classPath == null) {
                    continue;
                }
                URI base = entry.toUri();
                for (String ref : classPath.trim().split("\\s+")) {
                    try {
                        Path p = Path.of(base.resolve(ref));
                        if (Files.exists(p)) {
                            expanded.add(p);
                        }
                    } catch (RuntimeException ignored) {
                        // not a file URI: nothing the child JVM could use
                    }
                }
            } catch (IOException ignored) {
                // not a jar
            }
        }
        return List.copyOf(expanded);
    }

    private static void requireBrokerMain(List<Path> entries, String source) {
        if (!containsBrokerMain(entries)) {
            throw new EmbeddedKafkaException(source + " does not contain " + BROKER_MAIN + ": " + entries);
        }
    }

    static boolean containsBrokerMain(List<Path> entries) {
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                if (Files.isRegularFile(entry.resolve(BROKER_MAIN_ENTRY))) {
                    return true;
                }
            } else if (Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    if (jar.getEntry(BROKER_MAIN_ENTRY) != null) {
                        return true;
                    }
                } catch (IOException ignored) {
                    // not a jar
                }
            }
        }
        return false;
    }
}

package dev.voxline.local.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects of one kustomization under k8s/ as {@code kubectl kustomize} renders them (plain maps and lists, as
 * SnakeYAML reads them), with the look-ups the drift test needs: by kind and name, and the environment a workload's
 * container gets from its ConfigMaps and its own {@code env}.
 */
final class RenderedManifests {

    /** What {@code valueFrom.fieldRef} gives: the downward API's field path (the value is the pod's). */
    record FieldRef(String fieldPath) {
    }

    /** What {@code valueFrom.secretKeyRef} gives. */
    record SecretRef(String name, String key, boolean optional) {
    }

    private final String kustomization;
    private final List<Map<String, Object>> objects;

    private RenderedManifests(String kustomization, List<Map<String, Object>> objects) {
        this.kustomization = kustomization;
        this.objects = objects;
    }

    /** The repository's root: the nearest directory up from here that holds k8s/base. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("k8s/base/kustomization.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no k8s/base/kustomization.yaml above " + Path.of("").toAbsolutePath());
    }

    /** Whether this machine has a kubectl whose kustomize is v5 or later (the overlays need it). */
    static boolean kustomizeAvailable() {
        try {
            String version = run(List.of("kubectl", "version", "--client"), repositoryRoot());
            return version.lines().filter(line -> line.startsWith("Kustomize Version: v"))
                    .map(line -> line.substring("Kustomize Version: v".length()).split("\\.")[0])
                    .anyMatch(major -> Integer.parseInt(major) >= 5);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Renders {@code kustomization} (a directory relative to the repository's root). */
    static RenderedManifests render(String kustomization) {
        Path root = repositoryRoot();
        String yaml;
        try {
            yaml = run(List.of("kubectl", "kustomize", kustomization), root);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize " + kustomization, e);
        }
        return parse(kustomization, yaml);
    }

    @SuppressWarnings("unchecked")
    static RenderedManifests parse(String kustomization, String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc != null) {
                objects.add((Map<String, Object>) doc);
            }
        }
        return new RenderedManifests(kustomization, objects);
    }

    String kustomization() {
        return kustomization;
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(kustomization + " has no " + kind + " " + name));
    }

    /** The first container of a workload's pod template. */
    static Map<String, Object> container(Map<String, Object> workload) {
        return map(list(at(workload, "spec", "template", "spec", "containers")).get(0));
    }

    /**
     * The container's environment, in the order Kubernetes builds it (envFrom ConfigMaps first, then env, which wins):
     * plain values as Strings, downward-API fields as {@link FieldRef}, secrets as {@link SecretRef}.
     */
    Map<String, Object> environment(Map<String, Object> workload) {
        Map<String, Object> container = container(workload);
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object source : list(container.getOrDefault("envFrom", List.of()))) {
            String configMap = (String) at(map(source), "configMapRef", "name");
            if (configMap == null) {
                throw new AssertionError("only ConfigMaps are expected in envFrom: " + source);
            }
            Map<String, Object> data = map(at(get("ConfigMap", configMap), "data"));
            data.forEach((key, value) -> env.put(key, value == null ? "" : value.toString()));
        }
        for (Object entry : list(container.getOrDefault("env", List.of()))) {
            Map<String, Object> variable = map(entry);
            String name = (String) variable.get("name");
            Object field = at(variable, "valueFrom", "fieldRef", "fieldPath");
            Map<String, Object> secret = map(at(variable, "valueFrom", "secretKeyRef"));
            if (field != null) {
                env.put(name, new FieldRef((String) field));
            } else if (!secret.isEmpty()) {
                env.put(name, new SecretRef((String) secret.get("name"), (String) secret.get("key"),
                        Boolean.TRUE.equals(secret.get("optional"))));
            } else {
                env.put(name, variable.get("value") == null ? "" : variable.get("value").toString());
            }
        }
        return env;
    }

    /** The value at {@code path} of nested maps, or null. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private static String run(List<String> command, Path dir) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

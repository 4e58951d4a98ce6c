import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strict half of the schema check (k8s/check.sh): reads every object of the rendered manifests into the typed
 * model of its kind — fabric8's Kubernetes model for the built-in kinds, Strimzi's API for Kafka, KafkaNodePool,
 * KafkaTopic and KafkaUser — and fails on any field that model does not have (a misspelt or misplaced key, which
 * a JSON schema without {@code additionalProperties: false} lets through) or on a value of the wrong shape. Kinds
 * without a model here (KEDA's) are counted and left to the JSON schemas.
 *
 * <p>Run from the jars the pom beside this file copies: {@code java -cp 'target/lib/*' StrictCheck.java FILE...}.
 */
public final class StrictCheck {

    /** apiVersion/kind → the model class (by name: only the kinds the manifests use). */
    private static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Secret", "io.fabric8.kubernetes.api.model.Secret"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("apps/v1/StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("networking.k8s.io/v1/Ingress", "io.fabric8.kubernetes.api.model.networking.v1.Ingress"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser"));

    private StrictCheck() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        // a set: the same object can be reached through two getters
        Set<String> problems = new LinkedHashSet<>();
        int typed = 0;
        int untyped = 0;
        for (String file : args) {
            try (YAMLParser parser = new YAMLFactory().createParser(new File(file))) {
                for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
                    if (doc == null || doc.isNull()) {
                        continue;
                    }
                    String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                    String where = file + ": " + type + " " + doc.path("metadata").path("name").asText();
                    String model = MODELS.get(type);
                    if (model == null) {
                        untyped++;
                        continue;
                    }
                    typed++;
                    try {
                        Object object = yaml.treeToValue(doc, Class.forName(model));
                        walk(object, "", where, problems);
                    } catch (Exception e) {
                        problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
                    }
                }
            }
        }
        problems.forEach(problem -> System.out.println("strict: " + problem));
        System.out.printf("strict: %d objects read into their Kubernetes/Strimzi models, %d without a model here,"
                + " %d unknown or malformed fields%n", typed, untyped, problems.size());
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    /** Reports every model object under {@code value} whose additional (unknown) properties are not empty. */
    private static void walk(Object value, String path, String where, Set<String> problems) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, where, problems));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", where, problems);
            }
            return;
        }
        String type = value.getClass().getName();
        if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (!name.startsWith("get") || name.equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(where + ": unknown field(s) " + unknown.keySet() + " at " + (path.isEmpty() ? "."
                            : path));
                }
                continue;
            }
            String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            walk(child, path + "." + field, where, problems);
        }
    }
}

package dev.voxline.local.k8s;

import static dev.voxline.local.k8s.RenderedManifests.at;
import static dev.voxline.local.k8s.RenderedManifests.container;
import static dev.voxline.local.k8s.RenderedManifests.list;
import static dev.voxline.local.k8s.RenderedManifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.voxline.contracts.Topics;
import dev.voxline.gateway.downlink.DownlinkPartitions;
import dev.voxline.gateway.session.GatewayProperties;
import dev.voxline.gateway.session.SessionRegistry;
import dev.voxline.kafka.InProcessVoiceTransport;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoxlineKafkaSettings;
import dev.voxline.kafka.spring.ObservabilityDefaults;
import dev.voxline.kafka.spring.VoxlineKafkaProperties;
import dev.voxline.llm.stage.LlmStage;
import dev.voxline.local.LocalService;
import dev.voxline.stt.stage.SttStage;
import dev.voxline.tts.stage.TtsStage;
import dev.voxline.vad.stage.VadStage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.scheduler.Schedulers;

/**
 * The Kubernetes manifests (k8s/) against the code they deploy, so neither drifts from the other. Each kustomization
 * is rendered with {@code kubectl kustomize}; what the manifests must match is computed from the code:
 * <ul>
 *   <li>a KafkaTopic for every topic in {@link Topics}, with the partitions and configs {@link TopicDeclarer} gives
 *       it for the {@code voxline.kafka.*} settings the pods get (bound by Spring from their environment), the same
 *       replicas as the broker's default, and topic creation by the services off;</li>
 *   <li>for every service a workload and a Service on the port its yml sets, probes on the actuator groups it
 *       exposes, and a grace period longer than its preStop plus its shutdown timeout;</li>
 *   <li>no environment variable that the service does not read ({@link ServiceSettings});</li>
 *   <li>each stage's ScaledObject on the group it subscribes with and the topic it consumes; the gateway's pod
 *       names bound as instance indexes inside the downlink layout, and its autoscaler on a metric it exposes.</li>
 * </ul>
 * Needs kubectl with kustomize v5 (CI has it); without one the test is skipped, and says so.
 */
class KubernetesManifestsTests {

    private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();
    private static final String SECRET = "voxline-provider-keys";

    /** The topic each stage consumes (with voice.control) in its group: the lag its autoscaler watches. */
    private static final Map<LocalService, String> STAGE_INPUTS = Map.of(
            LocalService.VAD, VadStage.INPUT_TOPIC,
            LocalService.STT, SttStage.INPUT_TOPIC,
            LocalService.LLM, LlmStage.INPUT_TOPIC,
            LocalService.TTS, TtsStage.INPUT_TOPIC);

    @BeforeAll
    static void kubectl() {
        assumeThat(RenderedManifests.kustomizeAvailable())
                .as("kubectl with kustomize v5 is not installed: the k8s manifests cannot be rendered").isTrue();
    }

    private static RenderedManifests rendered(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, RenderedManifests::render);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyTopicHasAKafkaTopicWithTheLayoutTheServicesDeclare(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        VoxlineKafkaSettings settings = kafkaSettings(manifests);
        assertThat(settings.declareTopics()).as("voxline.kafka.declare-topics (Strimzi owns the topics)").isFalse();
        Map<String, Object> kafka = manifests.all("Kafka").get(0);
        Object replicas = at(kafka, "spec", "kafka", "config", "default.replication.factor");
        TopicDeclarer declarer = new TopicDeclarer(settings);
        List<String> topics = topicNames();
        Map<String, Map<String, Object>> kafkaTopics = manifests.all("KafkaTopic").stream().collect(
                Collectors.toMap(t -> (String) at(t, "spec", "topicName"), t -> t));
        assertThat(kafkaTopics.keySet()).as("%s: KafkaTopics", kustomization)
                .containsExactlyInAnyOrderElementsOf(topics);
        for (String topic : topics) {
            NewTopic expected = declarer.spec(topic);
            Map<String, Object> spec = map(at(kafkaTopics.get(topic), "spec"));
            assertThat(spec.get("partitions")).as("%s: %s partitions", kustomization, topic)
                    .isEqualTo(expected.numPartitions());
            Map<String, String> config = new LinkedHashMap<>();
            map(spec.get("config")).forEach((key, value) -> config.put(key, String.valueOf(value)));
            assertThat(config).as("%s: %s config", kustomization, topic)
                    .isEqualTo(expected.configs());
            assertThat(spec.get("replicas")).as("%s: %s replicas (the broker's default.replication.factor)",
                    kustomization, topic).isEqualTo(replicas);
            assertThat(at(kafkaTopics.get(topic), "metadata", "labels", "strimzi.io/cluster"))
                    .isEqualTo(at(kafka, "metadata", "name"));
        }
        int nodes = manifests.all("KafkaNodePool").stream().mapToInt(p -> (Integer) at(p, "spec", "replicas")).sum();
        assertThat((Integer) replicas).as("%s: replication factor within the Kafka nodes", kustomization)
                .isLessThanOrEqualTo(nodes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyServiceGetsTheSameKafkaLayoutAndReachesTheStrimziCluster(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        VoxlineKafkaSettings first = kafkaSettings(manifests);
        for (LocalService service : LocalService.values()) {
            Map<String, String> env = plainEnvironment(manifests, service);
            VoxlineKafkaSettings settings = ServiceSettings.bind(env, "voxline.kafka", VoxlineKafkaProperties.class)
                    .settings();
            assertThat(settings).as("%s: %s's voxline.kafka.*", kustomization, service.serviceName())
                    .isEqualTo(first);
        }
        Map<String, Object> kafka = manifests.all("Kafka").get(0);
        Map<String, Object> plain = list(at(kafka, "spec", "kafka", "listeners")).stream().map(l -> map(l))
                .filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst().orElseThrow();
        String bootstrap = at(kafka, "metadata", "name") + "-kafka-bootstrap:" + plain.get("port");
        assertThat(first.bootstrapServers()).as("%s: the bootstrap servers", kustomization).isEqualTo(bootstrap);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyServiceHasItsWorkloadServiceAndProbes(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        StandardEnvironment observability = new StandardEnvironment();
        new ObservabilityDefaults().postProcessEnvironment(observability, null);
        assertThat(observability.getProperty("management.endpoint.health.probes.enabled"))
                .as("voice-kafka turns the liveness and readiness groups on").isEqualTo("true");
        for (LocalService service : LocalService.values()) {
            String name = service.serviceName();
            ServiceSettings settings = new ServiceSettings(service);
            Map<String, Object> workload = workload(manifests, service);
            Map<String, String> env = plainEnvironment(manifests, service);
            String port = env.getOrDefault("SERVER_PORT", settings.yml("server.port", "8080"));
            String base = settings.yml("management.endpoints.web.base-path", "/actuator");
            assertThat(settings.yml("management.server.port", null)).as("%s: actuator on the server port", name)
                    .isNull();
            assertThat(settings.yml("management.endpoints.web.exposure.include", "")).as(name).contains("health");

            Map<String, Object> container = container(workload);
            Map<String, Object> http = list(container.get("ports")).stream().map(p -> map(p))
                    .filter(p -> "http".equals(p.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no port named http"));
            assertThat(String.valueOf(http.get("containerPort"))).as("%s: containerPort", name).isEqualTo(port);
            assertProbe(name, container, "startupProbe", base + "/health/liveness");
            assertProbe(name, container, "livenessProbe", base + "/health/liveness");
            assertProbe(name, container, "readinessProbe", base + "/health/readiness");
            assertThat(String.valueOf(at(workload, "spec", "template", "metadata", "annotations",
                    "prometheus.io/port"))).as("%s: scrape port", name).isEqualTo(port);

            Map<String, Object> svc = manifests.get("Service", name);
            assertThat(map(at(svc, "spec", "selector"))).as("%s: Service selector", name)
                    .isEqualTo(map(at(workload, "spec", "selector", "matchLabels")));
            Map<String, Object> svcPort = map(list(at(svc, "spec", "ports")).get(0));
            assertThat(String.valueOf(svcPort.get("port"))).as("%s: Service port", name).isEqualTo(port);
            assertThat(svcPort.get("targetPort")).isEqualTo("http");

            Duration drain = ServiceSettings.binder(env).bind("spring.lifecycle.timeout-per-shutdown-phase",
                    Duration.class).orElse(Duration.ofSeconds(30));
            long grace = ((Number) at(workload, "spec", "template", "spec", "terminationGracePeriodSeconds"))
                    .longValue();
            assertThat(grace).as("%s: terminationGracePeriodSeconds above the preStop sleep and the drain", name)
                    .isGreaterThan(preStopSeconds(container) + drain.toSeconds());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyVariableAPodGetsIsOneItsServiceReads(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        assertThat(manifests.all("Secret")).as("no Secret with values in the manifests").isEmpty();
        List<String> problems = new ArrayList<>();
        for (LocalService service : LocalService.values()) {
            Map<String, Object> env = manifests.environment(workload(manifests, service));
            env.forEach((variable, value) -> {
                if (value instanceof RenderedManifests.SecretRef secret
                        && (!SECRET.equals(secret.name()) || !secret.optional())) {
                    problems.add(service.serviceName() + ": " + variable + " must be an optional key of " + SECRET);
                }
            });
            new ServiceSettings(service).unread(plainEnvironment(manifests, service), RenderedManifests
                    .repositoryRoot()).forEach(variable -> problems.add(service.serviceName() + ": " + variable
                    + " is read by no code of the service"));
        }
        assertThat(problems).as(kustomization).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void eachStageScalesOnTheLagOfTheGroupItSubscribesWith(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        VoxlineKafkaSettings kafka = kafkaSettings(manifests);
        String bootstrapHost = kafka.bootstrapServers().split(":")[0];
        for (LocalService service : LocalService.values()) {
            if (service == LocalService.GATEWAY) {
                continue;
            }
            ServiceSettings settings = new ServiceSettings(service);
            String group;
            String topic;
            if (service == LocalService.METRICS) {
                group = settings.yml("spring.cloud.stream.bindings.metricsIngest-in-0.group", null);
                topic = settings.yml("spring.cloud.stream.bindings.metricsIngest-in-0.destination", null);
            } else {
                // the stages subscribe with ${spring.application.name} as their group id
                group = plainEnvironment(manifests, service).getOrDefault("SPRING_APPLICATION_NAME",
                        settings.yml("spring.application.name", null));
                topic = STAGE_INPUTS.get(service);
            }
            assertThat(group).as(service.serviceName()).isEqualTo(service.serviceName());
            Map<String, Object> scaled = manifests.get("ScaledObject", service.serviceName());
            assertThat(at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(service.serviceName());
            Map<String, Object> trigger = map(list(at(scaled, "spec", "triggers")).get(0));
            assertThat(trigger.get("type")).isEqualTo("kafka");
            Map<String, Object> metadata = map(trigger.get("metadata"));
            assertThat(metadata.get("consumerGroup")).as("%s: %s consumerGroup", kustomization, service)
                    .isEqualTo(group);
            assertThat(metadata.get("topic")).as("%s: %s topic", kustomization, service).isEqualTo(topic);
            assertThat(String.valueOf(metadata.get("bootstrapServers"))).startsWith(bootstrapHost);
            assertThat((Integer) at(scaled, "spec", "maxReplicaCount"))
                    .as("%s: %s at most one pod per partition", kustomization, service)
                    .isLessThanOrEqualTo(new TopicDeclarer(kafka).spec(topic).numPartitions());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void everyGatewayOrdinalOwnsItsOwnDownlinkPartitions(String kustomization) {
        RenderedManifests manifests = rendered(kustomization);
        VoxlineKafkaSettings kafka = kafkaSettings(manifests);
        Map<String, Object> gateway = manifests.get("StatefulSet", LocalService.GATEWAY.serviceName());
        assertThat(manifests.environment(gateway).get("VOXLINE_GATEWAY_INSTANCE_INDEX"))
                .as("the instance index is the pod's name (its ordinal)")
                .isEqualTo(new RenderedManifests.FieldRef("metadata.name"));
        int replicas = Math.max((Integer) at(gateway, "spec", "replicas"),
                (Integer) at(manifests.get("ScaledObject", LocalService.GATEWAY.serviceName()), "spec",
                        "maxReplicaCount"));
        assertThat(replicas).as("%s: gateway pods at most voxline.kafka.gateway-instances", kustomization)
                .isLessThanOrEqualTo(kafka.gatewayInstances());
        List<Integer> owned = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            // the pod's environment, its name where the downward API puts it, bound as the gateway binds it
            String pod = at(gateway, "metadata", "name") + "-" + ordinal;
            Map<String, String> env = plainEnvironment(manifests, LocalService.GATEWAY);
            env.put("VOXLINE_GATEWAY_INSTANCE_INDEX", pod);
            GatewayProperties properties = ServiceSettings.bind(env, "voxline.gateway", GatewayProperties.class);
            assertThat(properties.instanceIndex().value()).as(pod).isEqualTo(ordinal);
            List<Integer> partitions = new DownlinkPartitions(properties.instanceIndex().value(),
                    kafka.partitionsPerGateway(), kafka.gatewayInstances()).owned();
            assertThat(partitions).as(pod).allMatch(p -> p < kafka.downlinkPartitions());
            owned.addAll(partitions);
        }
        assertThat(owned).as("%s: no downlink partition owned twice", kustomization).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void theGatewayScalesOnAMetricTheGatewayExposes(String kustomization) {
        Map<String, Object> scaled = rendered(kustomization).get("ScaledObject", LocalService.GATEWAY.serviceName());
        assertThat(at(scaled, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
        Map<String, Object> trigger = map(list(at(scaled, "spec", "triggers")).get(0));
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        String query = (String) at(trigger, "metadata", "query");
        // what a gateway's /actuator/prometheus shows: its session registry's meters
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new SessionRegistry(ServiceSettings.bind(Map.of(), "voxline.gateway", GatewayProperties.class),
                new DownlinkPartitions(0, 3, 4), new InProcessVoiceTransport(), meters, System::currentTimeMillis,
                Schedulers.immediate(), VoiceTracing.NOOP);
        String scrape = meters.scrape();
        Matcher metric = Pattern.compile("[a-z_]+(?=\\{|\\))").matcher(query);
        assertThat(metric.find()).as("a metric in %s", query).isTrue();
        assertThat(scrape).as("%s: %s is a gateway metric", kustomization, metric.group())
                .containsPattern("(?m)^" + metric.group() + "[ {]");
    }

    // --- helpers ---

    private static Map<String, Object> workload(RenderedManifests manifests, LocalService service) {
        return manifests.get(service == LocalService.GATEWAY ? "StatefulSet" : "Deployment", service.serviceName());
    }

    /** The pod's variables with a plain value (ConfigMaps, env values), as Spring would see them. */
    private static Map<String, String> plainEnvironment(RenderedManifests manifests, LocalService service) {
        Map<String, String> env = new LinkedHashMap<>();
        manifests.environment(workload(manifests, service)).forEach((name, value) -> {
            if (value instanceof String text) {
                env.put(name, text);
            } else if (value instanceof RenderedManifests.FieldRef) {
                env.put(name, service.serviceName() + "-0"); // the downward API's pod name, for a binding check
            }
        });
        return env;
    }

    private static VoxlineKafkaSettings kafkaSettings(RenderedManifests manifests) {
        return ServiceSettings.bind(plainEnvironment(manifests, LocalService.GATEWAY), "voxline.kafka",
                VoxlineKafkaProperties.class).settings();
    }

    private static List<String> topicNames() {
        List<String> names = new ArrayList<>();
        for (Field field : Topics.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertThat(names).contains(Topics.AUDIO_IN, Topics.DOWNLINK, Topics.CONTEXT);
        return names;
    }

    private static void assertProbe(String service, Map<String, Object> container, String probe, String path) {
        Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
        assertThat(httpGet).as("%s: %s", service, probe).isNotEmpty();
        assertThat(httpGet.get("path")).as("%s: %s path", service, probe).isEqualTo(path);
        assertThat(httpGet.get("port")).as("%s: %s port", service, probe).isEqualTo("http");
    }

    /** The seconds of a {@code sh -c "sleep N"} preStop hook (0 without one). */
    private static long preStopSeconds(Map<String, Object> container) {
        List<Object> command = list(at(container, "lifecycle", "preStop", "exec", "command"));
        if (command.isEmpty()) {
            return 0;
        }
        String script = String.valueOf(command.get(command.size() - 1));
        return Arrays.stream(script.split("\\s+")).filter(word -> word.matches("\\d+")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }
}

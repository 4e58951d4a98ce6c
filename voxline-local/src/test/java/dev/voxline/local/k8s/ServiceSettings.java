package dev.voxline.local.k8s;

import dev.voxline.kafka.spring.VoxlineKafkaProperties;
import dev.voxline.local.LocalService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one Voxline service reads, found in the code rather than listed here: the properties of its
 * {@code @ConfigurationProperties} records (bound through Spring's own binder, from environment variables, as in a
 * pod), the keys of its {@code <service>.yml}, the properties Spring Boot and Spring Cloud document in their
 * configuration metadata, and the variables its sources name as text ({@code ${VOXLINE_LLM_API_KEY:}}, the
 * {@code OTEL_*} variables voice-kafka reads, the Dockerfile's {@code JAVA_OPTS}).
 */
final class ServiceSettings {

    /** Read by the JVM's launcher itself, not by any Voxline or Spring code. */
    static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS");

    private static final Set<String> METADATA_ENV_NAMES = new HashSet<>();
    private static final List<String> METADATA_MAP_PREFIXES = new ArrayList<>();

    private final LocalService service;
    private final Map<String, Object> yml;
    private final List<Class<?>> propertyClasses;

    ServiceSettings(LocalService service) {
        this.service = service;
        this.yml = loadYml(service.serviceName() + ".yml");
        this.propertyClasses = propertyClasses(service);
    }

    LocalService service() {
        return service;
    }

    /** A key of the service's packaged {@code <service>.yml}, flattened ({@code spring.application.name}). */
    String yml(String key, String otherwise) {
        Object value = yml.get(key);
        return value == null ? otherwise : value.toString();
    }

    List<Class<?>> propertyClasses() {
        return propertyClasses;
    }

    /**
     * The variables of {@code env} that no code of this service reads: each must be bound by one of its
     * {@code @ConfigurationProperties} records, be a key of its yml, a documented Spring property, or a name its
     * sources (or the Dockerfile) use as text.
     */
    List<String> unread(Map<String, String> env, Path repository) {
        Set<String> bound = boundVariables(env);
        Set<String> ymlNames = new HashSet<>();
        yml.keySet().forEach(key -> ymlNames.addAll(envNames(key)));
        List<String> unread = new ArrayList<>();
        for (String name : env.keySet()) {
            if (bound.contains(name) || ymlNames.contains(name) || JVM_VARIABLES.contains(name)
                    || documentedBySpring(name) || namedInSources(name, repository)) {
                continue;
            }
            unread.add(name);
        }
        return unread;
    }

    /** Binds {@code env} as environment variables into {@code type} at {@code prefix}, as the service would. */
    static <T> T bind(Map<String, String> env, String prefix, Class<T> type) {
        return binder(env).bindOrCreate(prefix, Bindable.of(type));
    }

    static Binder binder(Map<String, String> env) {
        // the name matters: Boot maps environment-variable names only for a source called systemEnvironment
        PropertySource<?> source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Collections.unmodifiableMap(new LinkedHashMap<>(env)));
        return new Binder(ConfigurationPropertySources.from(source));
    }

    /** Spring's two environment-variable forms of a property name: without dashes, and dashes as underscores. */
    static Set<String> envNames(String property) {
        String upper = property.toUpperCase(Locale.ROOT).replace('.', '_').replace("[", "").replace("]", "");
        return new HashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
    }

    private Set<String> boundVariables(Map<String, String> env) {
        Set<String> names = new HashSet<>();
        Binder binder = binder(env);
        for (Class<?> type : propertyClasses) {
            String prefix = prefix(type);
            binder.bindOrCreate(prefix, Bindable.of(type), new AbstractBindHandler() {
                @Override
                public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                        Object result) {
                    if (context.getConfigurationProperty() != null) {
                        names.addAll(envNames(name.toString()));
                    }
                    return super.onSuccess(name, target, context, result);
                }
            });
        }
        return names;
    }

    static String prefix(Class<?> type) {
        ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
        return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    }

    private static List<Class<?>> propertyClasses(LocalService service) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> types = new ArrayList<>();
        types.add(VoxlineKafkaProperties.class);
        for (BeanDefinition candidate : scanner.findCandidateComponents(
                service.applicationClass().getPackageName())) {
            try {
                types.add(Class.forName(candidate.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    private static Map<String, Object> loadYml(String resource) {
        Map<String, Object> flat = new LinkedHashMap<>();
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(resource,
                    new ClassPathResource(resource))) {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    flat.putIfAbsent(name, enumerable.getProperty(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return flat;
    }

    private static synchronized boolean documentedBySpring(String variable) {
        if (METADATA_ENV_NAMES.isEmpty()) {
            loadMetadata();
        }
        return METADATA_ENV_NAMES.contains(variable)
                || METADATA_MAP_PREFIXES.stream().anyMatch(prefix -> variable.startsWith(prefix + "_"));
    }

    @SuppressWarnings("unchecked")
    private static void loadMetadata() {
        JsonMapper json = new JsonMapper();
        try {
            for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                for (URL url : Collections.list(ServiceSettings.class.getClassLoader().getResources(resource))) {
                    try (InputStream in = url.openStream()) {
                        Map<String, Object> metadata = json.readValue(in, Map.class);
                        for (Object item : RenderedManifests.list(metadata.get("properties"))) {
                            Map<String, Object> property = RenderedManifests.map(item);
                            String name = (String) property.get("name");
                            METADATA_ENV_NAMES.addAll(envNames(name));
                            if (String.valueOf(property.get("type")).startsWith("java.util.Map")) {
                                METADATA_MAP_PREFIXES.addAll(envNames(name));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a main source or resource of any service module, or the Dockerfile, has the name as text. */
    private static boolean namedInSources(String variable, Path repository) {
        Pattern word = Pattern.compile("(?<![A-Z0-9_])" + Pattern.quote(variable) + "(?![A-Z0-9_])");
        try (Stream<Path> modules = Files.list(repository)) {
            List<Path> roots = new ArrayList<>(modules.filter(dir -> Files.isDirectory(dir.resolve("src/main")))
                    .map(dir -> dir.resolve("src/main")).toList());
            for (Path root : roots) {
                try (Stream<Path> files = Files.walk(root)) {
                    boolean found = files.filter(Files::isRegularFile)
                            .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".yml"))
                            .anyMatch(f -> contains(f, word));
                    if (found) {
                        return true;
                    }
                }
            }
            return contains(repository.resolve("Dockerfile"), word);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(Path file, Pattern word) {
        try {
            return word.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}

package dev.voxline.metrics.alert;

import dev.voxline.metrics.summary.RollingWindows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Reads and validates alert rules: from the service configuration ({@code voxline.alerts.rules}), from a YAML
 * document with a {@code rules:} list (a rules file, or a {@code PUT} body; JSON is YAML too) in the same format.
 * Every problem of every rule is reported together, each naming the rule (its id, or its position) and the field.
 */
public final class AlertRules {

    /** The longest window a rule may ask for: what {@link RollingWindows} keeps overall. */
    static final int MAX_WINDOW_TURNS = 10_000;
    static final Duration DEFAULT_WINDOW_TIME = Duration.ofSeconds(60);
    static final int DEFAULT_WINDOW_TURNS = 10;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private AlertRules() {
    }

    /** Rules from a YAML (or JSON) document of the form {@code rules: [ {id: …, metric: …}, … ]}. */
    public static List<AlertRule> parse(String document, String origin) {
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load(origin,
                    new ByteArrayResource(document.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) { // SnakeYAML reports syntax errors unchecked
            throw new InvalidAlertRulesException(origin, List.of("not valid YAML or JSON: " + firstLine(e)));
        }
        if (sources.size() != 1) {
            throw new InvalidAlertRulesException(origin, List.of("expected one YAML document with a 'rules' list, found "
                    + sources.size()));
        }
        PropertySource<?> source = sources.get(0);
        boolean hasRules = source.containsProperty("rules")
                || (source instanceof org.springframework.core.env.EnumerablePropertySource<?> e
                    && java.util.Arrays.stream(e.getPropertyNames()).anyMatch(n -> n.startsWith("rules[")));
        if (!hasRules) {
            throw new InvalidAlertRulesException(origin, List.of("no 'rules' list"));
        }
        List<AlertProperties.RuleSpec> specs;
        try {
            specs = new Binder(ConfigurationPropertySources.from(source))
                    .bind("rules", Bindable.listOf(AlertProperties.RuleSpec.class))
                    .orElse(List.of());
        } catch (BindException e) {
            throw new InvalidAlertRulesException(origin, List.of("'" + e.getName() + "' cannot be read: "
                    + firstLine(e.getCause() == null ? e : e.getCause())));
        }
        return validate(specs, origin);
    }

    /** Rules from a YAML file (blocking I/O: call it off the event loop). */
    public static List<AlertRule> read(Path file) {
        String document;
        try {
            document = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidAlertRulesException(file.toString(), List.of("cannot be read: " + e));
        }
        return parse(document, file.toString());
    }

    /** Validates rules as written; throws {@link InvalidAlertRulesException} listing every problem. */
    public static List<AlertRule> validate(List<AlertProperties.RuleSpec> specs, String origin) {
        List<String> problems = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>(specs.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            AlertProperties.RuleSpec spec = specs.get(i);
            RuleReader reader = new RuleReader(spec, i, problems);
            AlertRule rule = reader.read();
            if (rule != null && !ids.add(rule.id())) {
                problems.add(reader.where() + ": field 'id': duplicate id '" + rule.id() + "'");
            } else if (rule != null) {
                rules.add(rule);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidAlertRulesException(origin, problems);
        }
        return List.copyOf(rules);
    }

    /** Reads one rule, adding what is wrong with it to {@code problems}; null when anything is. */
    private static final class RuleReader {

        private final AlertProperties.RuleSpec spec;
        private final int index;
        private final List<String> problems;
        private final int problemsBefore;

        RuleReader(AlertProperties.RuleSpec spec, int index, List<String> problems) {
            this.spec = spec;
            this.index = index;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        String where() {
            return blank(spec.id()) ? "rules[" + index + "]" : "rule '" + spec.id().trim() + "' (rules[" + index + "])";
        }

        private void problem(String field, String message) {
            problems.add(where() + ": field '" + field + "': " + message);
        }

        AlertRule read() {
            String id = null;
            if (blank(spec.id())) {
                problem("id", "missing");
            } else if (!ID.matcher(spec.id().trim()).matches()) {
                problem("id", "'" + spec.id() + "' may only hold letters, digits, '_', '-' and '.'");
            } else {
                id = spec.id().trim();
            }
            String metric = null;
            if (blank(spec.metric())) {
                problem("metric", "missing (one of " + String.join(", ", RollingWindows.figureNames()) + ")");
            } else if (!RollingWindows.figureNames().contains(spec.metric().trim())) {
                problem("metric", "unknown metric '" + spec.metric() + "' (one of "
                        + String.join(", ", RollingWindows.figureNames()) + ")");
            } else {
                metric = spec.metric().trim();
            }
            AlertRule.Statistic statistic = statistic();
            AlertRule.Comparison comparison = comparison();
            Double threshold = threshold();
            int windowTurns = DEFAULT_WINDOW_TURNS;
            Duration windowTime = DEFAULT_WINDOW_TIME;
            if (spec.window() != null) {
                windowTurns = blank(spec.window().turns()) ? 0 : windowTurns(spec.window().turns());
                windowTime = blank(spec.window().time()) ? Duration.ZERO : duration("window.time",
                        spec.window().time(), false);
                if (blank(spec.window().turns()) && blank(spec.window().time())) {
                    problem("window", "needs 'turns' (the last N turns) and/or 'time' (the turns of the last T)");
                }
            }
            Duration forDuration = blank(spec.forDuration()) ? Duration.ZERO
                    : duration("for", spec.forDuration(), true);
            String severity = blank(spec.severity()) ? "warning" : spec.severity().trim();
            Map<String, String> labels = spec.labels() == null ? Map.of() : new LinkedHashMap<>(spec.labels());
            for (String reserved : List.of("alertname", "severity", "rule")) {
                if (labels.containsKey(reserved)) {
                    problem("labels", "'" + reserved + "' is set from the rule itself");
                }
            }
            if (problems.size() > problemsBefore) {
                return null;
            }
            return new AlertRule(id, blank(spec.name()) ? id : spec.name().trim(), metric, statistic, comparison,
                    threshold, windowTurns, windowTime, forDuration, severity, labels,
                    blank(spec.description()) ? null : spec.description().trim());
        }

        private AlertRule.Statistic statistic() {
            if (blank(spec.statistic())) {
                problem("statistic", "missing (one of " + statistics() + ")");
                return null;
            }
            try {
                return AlertRule.Statistic.valueOf(spec.statistic().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem("statistic", "unknown statistic '" + spec.statistic() + "' (one of " + statistics() + ")");
                return null;
            }
        }

        private AlertRule.Comparison comparison() {
            if (blank(spec.comparison())) {
                return AlertRule.Comparison.GREATER;
            }
            for (AlertRule.Comparison comparison : AlertRule.Comparison.values()) {
                if (comparison.symbol().equals(spec.comparison().trim())) {
                    return comparison;
                }
            }
            problem("comparison", "unknown comparison '" + spec.comparison() + "' (one of >, >=, <, <=)");
            return null;
        }

        private Double threshold() {
            if (blank(spec.threshold())) {
                problem("threshold", "missing");
                return null;
            }
            double value;
            try {
                value = Double.parseDouble(spec.threshold().trim());
            } catch (NumberFormatException e) {
                problem("threshold", "not a number: '" + spec.threshold() + "'");
                return null;
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                problem("threshold", "not a finite number: '" + spec.threshold() + "'");
                return null;
            }
            if (value < 0) {
                problem("threshold", "must not be negative: " + spec.threshold().trim());
                return null;
            }
            return value;
        }

        private int windowTurns(String text) {
            try {
                int turns = Integer.parseInt(text.trim());
                if (turns < 1 || turns > MAX_WINDOW_TURNS) {
                    problem("window.turns", "must be 1-" + MAX_WINDOW_TURNS + ": " + turns);
                }
                return turns;
            } catch (NumberFormatException e) {
                problem("window.turns", "not a whole number: '" + text + "'");
                return 0;
            }
        }

        private Duration duration(String field, String text, boolean zeroAllowed) {
            Duration duration;
            try {
                duration = DurationStyle.detectAndParse(text.trim());
            } catch (IllegalArgumentException e) {
                problem(field, "bad duration '" + text + "' (e.g. 30s, 500ms, 2m)");
                return Duration.ZERO;
            }
            if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
                problem(field, "must be " + (zeroAllowed ? "zero or more" : "positive") + ": '" + text + "'");
            }
            return duration;
        }

        private static String statistics() {
            return String.join(", ", java.util.Arrays.stream(AlertRule.Statistic.values())
                    .map(AlertRule.Statistic::label).toList());
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

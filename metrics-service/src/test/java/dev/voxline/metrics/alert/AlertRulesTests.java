package dev.voxline.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ClassPathResource;

class AlertRulesTests {

    @Test
    void theServiceDefaultsAreTheLatencyTargets() throws IOException {
        String yml = new String(new ClassPathResource("metrics-service.yml").getInputStream().readAllBytes());
        // the same list, read as a rules file would be
        String rulesPart = "rules:\n" + yml.substring(yml.indexOf("    rules:\n") + "    rules:\n".length())
                .lines().takeWhile(line -> line.startsWith("      ")).map(line -> line.substring(4) + "\n")
                .reduce("", String::concat);
        List<AlertRule> rules = AlertRules.parse(rulesPart, "metrics-service.yml");

        assertThat(rules).extracting(r -> r.metric() + " " + r.statistic().label() + " " + r.comparison().symbol()
                + " " + AlertRule.number(r.threshold())).containsExactly("llm_ttft p95 > 500", "tts_ttfb p95 > 300",
                "e2e p95 > 1000");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.windowTurns()).isEqualTo(10);
            assertThat(rule.windowTime()).isEqualTo(Duration.ofSeconds(60));
            assertThat(rule.forDuration()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(rules.get(2).condition())
                .isEqualTo("p95(e2e) > 1000 over the last 10 turns within 60s for 30s");
    }

    @Test
    void leftOutFieldsTakeTheirDefaults() {
        AlertRule rule = AlertRules.parse("rules: [{ id: ttft, metric: llm_ttft, statistic: p99, threshold: 0 }]",
                "test").get(0);
        assertThat(rule.name()).isEqualTo("ttft");
        assertThat(rule.comparison()).isEqualTo(AlertRule.Comparison.GREATER);
        assertThat(rule.windowTurns()).isEqualTo(AlertRules.DEFAULT_WINDOW_TURNS);
        assertThat(rule.windowTime()).isEqualTo(AlertRules.DEFAULT_WINDOW_TIME);
        assertThat(rule.forDuration()).isZero();
        assertThat(rule.severity()).isEqualTo("warning");
        assertThat(rule.labels()).isEmpty();
    }

    @Test
    void jsonIsAcceptedToo() {
        List<AlertRule> rules = AlertRules.parse("""
                {"rules":[{"id":"e2e","metric":"e2e","statistic":"max","threshold":900.5,"comparison":">=",
                           "window":{"time":"2m"},"for":"1m","severity":"critical","labels":{"team":"voice"}}]}""",
                "test");
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.threshold()).isEqualTo(900.5);
            assertThat(rule.comparison()).isEqualTo(AlertRule.Comparison.GREATER_OR_EQUAL);
            assertThat(rule.windowTurns()).as("time alone").isZero();
            assertThat(rule.windowTime()).isEqualTo(Duration.ofMinutes(2));
            assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(1));
            assertThat(rule.labels()).containsEntry("team", "voice");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown metric      | { id: r1, metric: latency, statistic: p95, threshold: 1 }                   | rule 'r1' (rules[0]): field 'metric': unknown metric 'latency' (one of eou_delay,
            missing metric      | { id: r1, statistic: p95, threshold: 1 }                                    | rule 'r1' (rules[0]): field 'metric': missing
            unknown statistic   | { id: r1, metric: e2e, statistic: p90, threshold: 1 }                       | rule 'r1' (rules[0]): field 'statistic': unknown statistic 'p90' (one of value, avg, min, max, p50, p95, p99)
            negative threshold  | { id: r1, metric: e2e, statistic: p95, threshold: -5 }                      | rule 'r1' (rules[0]): field 'threshold': must not be negative: -5
            threshold not a number | { id: r1, metric: e2e, statistic: p95, threshold: fast }                 | rule 'r1' (rules[0]): field 'threshold': not a number: 'fast'
            missing threshold   | { id: r1, metric: e2e, statistic: p95 }                                     | rule 'r1' (rules[0]): field 'threshold': missing
            missing id          | { metric: e2e, statistic: p95, threshold: 1 }                               | rules[0]: field 'id': missing
            bad id              | { id: 'a b', metric: e2e, statistic: p95, threshold: 1 }                    | rule 'a b' (rules[0]): field 'id': 'a b' may only hold letters
            bad for duration    | { id: r1, metric: e2e, statistic: p95, threshold: 1, for: soon }            | rule 'r1' (rules[0]): field 'for': bad duration 'soon'
            negative for        | { id: r1, metric: e2e, statistic: p95, threshold: 1, for: -5s }             | rule 'r1' (rules[0]): field 'for': must be zero or more: '-5s'
            bad window time     | { id: r1, metric: e2e, statistic: p95, threshold: 1, window: { time: 1x } } | rule 'r1' (rules[0]): field 'window.time': bad duration '1x'
            zero window turns   | { id: r1, metric: e2e, statistic: p95, threshold: 1, window: { turns: 0 } } | rule 'r1' (rules[0]): field 'window.turns': must be 1-10000: 0
            unknown comparison  | { id: r1, metric: e2e, statistic: p95, threshold: 1, comparison: '!=' }     | rule 'r1' (rules[0]): field 'comparison': unknown comparison '!='
            reserved label      | { id: r1, metric: e2e, statistic: p95, threshold: 1, labels: { severity: x } } | rule 'r1' (rules[0]): field 'labels': 'severity' is set from the rule itself
            """)
    void anInvalidRuleIsNamedWithItsField(String name, String rule, String expected) {
        assertThatThrownBy(() -> AlertRules.parse("rules: [" + rule + "]", "rules.yml"))
                .isInstanceOf(InvalidAlertRulesException.class)
                .hasMessageStartingWith("invalid alert rules in rules.yml: ")
                .hasMessageContaining(expected);
    }

    @Test
    void aDuplicateIdIsNamedAndEveryProblemIsReportedTogether() {
        assertThatThrownBy(() -> AlertRules.parse("""
                rules:
                  - { id: e2e, metric: e2e, statistic: p95, threshold: 1000 }
                  - { id: e2e, metric: e2e, statistic: p99, threshold: 2000 }
                  - { id: ttft, metric: ttft, statistic: p95, threshold: 500 }
                """, "rules.yml"))
                .isInstanceOfSatisfying(InvalidAlertRulesException.class, e -> assertThat(e.problems())
                        .containsExactly("rule 'e2e' (rules[1]): field 'id': duplicate id 'e2e'",
                                "rule 'ttft' (rules[2]): field 'metric': unknown metric 'ttft' (one of eou_delay, "
                                        + "transcription_delay, stt_rtf, llm_ttft, first_clause_delay, tts_ttfb, "
                                        + "transport, e2e)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'rules: [ { id: r1'            | not valid YAML or JSON
            'alerts: []'                   | no 'rules' list
            'rules: { id: r1 }'            | no 'rules' list
            """)
    void aDocumentThatIsNotARulesListIsRejected(String document, String expected) {
        assertThatThrownBy(() -> AlertRules.parse(document, "body"))
                .isInstanceOf(InvalidAlertRulesException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void aRulesFileIsReadAndAMissingOneNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("alerts.yml");
        Files.writeString(file, "rules:\n  - { id: e2e, metric: e2e, statistic: p95, threshold: 800 }\n");
        assertThat(AlertRules.read(file)).extracting(AlertRule::threshold).containsExactly(800.0);
        assertThatThrownBy(() -> AlertRules.read(dir.resolve("missing.yml")))
                .isInstanceOf(InvalidAlertRulesException.class)
                .hasMessageContaining("missing.yml").hasMessageContaining("cannot be read");
    }
}

package dev.voxline.metrics.alert;

import java.util.List;

/** Alert rules that cannot be used; the message names each rule and field at fault. */
public final class InvalidAlertRulesException extends IllegalArgumentException {

    private final List<String> problems;

    InvalidAlertRulesException(String origin, List<String> problems) {
        super("invalid alert rules in " + origin + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

package dev.voxline.metrics.alert;

import java.util.Map;

/**
 * One rule's alert as {@code GET /api/v1/alerts} lists it. {@code state}: {@code inactive}, {@code pending},
 * {@code firing} or {@code resolved} (it fired, and its condition has been false since {@code resolvedAt}).
 * Instants are epoch milliseconds, null when they have not happened; {@code value} is the statistic at the last
 * evaluation (null when the window held no turn with the figure).
 */
public record AlertStatus(String ruleId, String name, String state, String condition, String metric,
                          String statistic, String comparison, double threshold, Double value, String severity,
                          Map<String, String> labels, Long activeAt, Long firedAt, Long resolvedAt,
                          long evaluatedAt) {
}

package dev.voxline.loadtest.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Order statistics of a sample. Percentiles interpolate linearly between the two nearest ranks (the "R-7" rule of
 * R, NumPy's default): with {@code n} sorted values the p-th percentile sits at position {@code (n − 1) · p}.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** Count, mean, p50, p95, p99, min and max; NaN statistics for an empty sample. Null values are left out. */
    public static Summary summarize(Collection<Double> values) {
        double[] sorted = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted()
                .toArray();
        if (sorted.length == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(sorted).sum() / sorted.length;
        return new Summary(sorted.length, mean, percentile(sorted, 0.50), percentile(sorted, 0.95),
                percentile(sorted, 0.99), sorted[0], sorted[sorted.length - 1]);
    }

    /** The {@code p}-th percentile (0 ≤ p ≤ 1) of ascending {@code sorted} values. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("p must be in [0, 1], was " + p);
        }
        double position = (sorted.length - 1) * p;
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    public record Summary(int count, double mean, double p50, double p95, double p99, double min, double max) {
    }
}

package dev.voxline.loadtest.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;

/**
 * Percentile bootstrap confidence intervals for percentiles of benchmark samples, and for the ratio and the
 * difference of two samples' percentiles (each sample resampled on its own). Every call starts from the same seed,
 * so a report's intervals do not depend on the order they were computed in and a rerun on the same samples prints
 * the same figures. Percentiles as {@link Percentiles} computes them.
 */
public final class Bootstrap {

    public static final int DEFAULT_RESAMPLES = 2_000;
    public static final long DEFAULT_SEED = 7;
    public static final double DEFAULT_LEVEL = 0.95;

    private final int resamples;
    private final long seed;
    private final double level;

    /** A statistic on the measured sample(s) with the interval around it; NaN throughout without data. */
    public record Interval(double estimate, double low, double high) {

        public boolean contains(double value) {
            return value >= low && value <= high;
        }

        /** {@code 12.34 [11.02, 13.90]}, or {@code –} without data. */
        public String format(int decimals) {
            if (Double.isNaN(estimate)) {
                return "–";
            }
            String number = "%." + decimals + "f";
            return String.format(Locale.ROOT, number + " [" + number + ", " + number + "]", estimate, low, high);
        }
    }

    public Bootstrap(int resamples, long seed, double level) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be ≥ 1");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1)");
        }
        this.resamples = resamples;
        this.seed = seed;
        this.level = level;
    }

    /** 2000 resamples, a fixed seed, 95 %. */
    public static Bootstrap standard() {
        return new Bootstrap(DEFAULT_RESAMPLES, DEFAULT_SEED, DEFAULT_LEVEL);
    }

    /** The {@code p}-th percentile (0..1) of {@code values}. */
    public Interval percentile(List<Double> values, double p) {
        double[] sample = clean(values);
        if (sample.length == 0) {
            return none();
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] statistics = new double[resamples];
        double[] resample = new double[sample.length];
        for (int r = 0; r < resamples; r++) {
            statistics[r] = resampledPercentile(sample, resample, p, random);
        }
        return interval(percentileOf(sample.clone(), p), statistics);
    }

    /** {@code p(a) / p(b)} at percentile {@code p}. */
    public Interval ratio(List<Double> a, List<Double> b, double p) {
        return twoSamples(a, b, p, (x, y) -> x / y);
    }

    /** {@code p(a) − p(b)} at percentile {@code p}. */
    public Interval difference(List<Double> a, List<Double> b, double p) {
        return twoSamples(a, b, p, (x, y) -> x - y);
    }

    private Interval twoSamples(List<Double> a, List<Double> b, double p, DoubleBinaryOperator combine) {
        double[] first = clean(a);
        double[] second = clean(b);
        if (first.length == 0 || second.length == 0) {
            return none();
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] statistics = new double[resamples];
        double[] firstResample = new double[first.length];
        double[] secondResample = new double[second.length];
        for (int r = 0; r < resamples; r++) {
            statistics[r] = combine.applyAsDouble(resampledPercentile(first, firstResample, p, random),
                    resampledPercentile(second, secondResample, p, random));
        }
        double estimate = combine.applyAsDouble(percentileOf(first.clone(), p), percentileOf(second.clone(), p));
        return interval(estimate, statistics);
    }

    private Interval interval(double estimate, double[] statistics) {
        double[] finite = Arrays.stream(statistics).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        double tail = (1 - level) / 2;
        return new Interval(estimate, Percentiles.percentile(finite, tail), Percentiles.percentile(finite, 1 - tail));
    }

    private static double resampledPercentile(double[] sample, double[] into, double p, SplittableRandom random) {
        for (int i = 0; i < into.length; i++) {
            into[i] = sample[random.nextInt(sample.length)];
        }
        return percentileOf(into, p);
    }

    private static double percentileOf(double[] values, double p) {
        Arrays.sort(values);
        return Percentiles.percentile(values, p);
    }

    private static double[] clean(List<Double> values) {
        return values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    private static Interval none() {
        return new Interval(Double.NaN, Double.NaN, Double.NaN);
    }
}

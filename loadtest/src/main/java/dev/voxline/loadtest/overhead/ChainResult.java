package dev.voxline.loadtest.overhead;

import dev.voxline.loadtest.report.Percentiles;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plain chain measured: per probe, each hop's delay (poll time − send time) in milliseconds, and their sum,
 * which is what the pipeline's {@code transport} figure sums over the same hops.
 *
 * @param hopNames     the hops, in order
 * @param probes       one array of hop delays (ms) per probe that travelled all hops, in the order they finished
 * @param lost         probes sent but not back within the run
 * @param background   background audio frames the first hop's consumer received
 * @param valueSizes   the value size of each hop, in bytes
 */
public record ChainResult(List<String> hopNames, List<double[]> probes, int lost, long background,
                          List<Integer> valueSizes) {

    public ChainResult {
        for (double[] probe : probes) {
            if (probe.length != hopNames.size()) {
                throw new IllegalArgumentException("a probe has " + probe.length + " hops, not " + hopNames.size());
            }
        }
        probes = List.copyOf(probes);
    }

    /** Each probe's total: the sum of its hop delays. */
    public List<Double> totals() {
        List<Double> totals = new ArrayList<>(probes.size());
        for (double[] probe : probes) {
            double sum = 0;
            for (double hop : probe) {
                sum += hop;
            }
            totals.add(sum);
        }
        return totals;
    }

    /** Hop {@code index}'s delays, one per probe. */
    public List<Double> hop(int index) {
        List<Double> values = new ArrayList<>(probes.size());
        for (double[] probe : probes) {
            values.add(probe[index]);
        }
        return values;
    }

    /** The p-th percentile (0..1) of {@code values}; NaN when there are none. */
    public static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : Percentiles.percentile(sorted, p);
    }
}

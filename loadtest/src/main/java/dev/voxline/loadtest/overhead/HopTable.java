package dev.voxline.loadtest.overhead;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.report.BenchReport;
import dev.voxline.loadtest.report.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The floor hop by hop: each of the five critical-path hops as the pipeline's turn reports measured it
 * ({@code transport_hops}) beside the plain chain's same hop, p50 and p99 with bootstrap 95 % intervals, and the
 * pipeline's excess over the floor at p50. This is the table to compare between two runs that change one setting.
 *
 * @param hops      the hop names, in path order
 * @param bytes     each hop's value size in the chain (and the pipeline), in bytes
 * @param pipeline  per hop, the pipeline's delays (ms) from the turn reports that had it
 * @param floor     per hop, the chain's delays (ms)
 */
public record HopTable(List<String> hops, List<Integer> bytes, List<List<Double>> pipeline, List<List<Double>> floor,
                       Bootstrap bootstrap) {

    public static final List<String> COLUMNS = List.of("hop", "bytes", "pipeline p50", "floor p50",
            "pipeline − floor p50", "pipeline p99", "floor p99");

    /** How each hop is read from a turn report, in the chain's hop order. */
    private static final List<Function<VoiceEvent.TurnMetrics.Hops, Double>> FROM_REPORT = List.of(
            VoiceEvent.TurnMetrics.Hops::gatewayVad, VoiceEvent.TurnMetrics.Hops::vadStt,
            VoiceEvent.TurnMetrics.Hops::sttLlm, VoiceEvent.TurnMetrics.Hops::llmTts,
            VoiceEvent.TurnMetrics.Hops::ttsGateway);

    public HopTable {
        if (bytes.size() != hops.size() || pipeline.size() != hops.size() || floor.size() != hops.size()) {
            throw new IllegalArgumentException("a hop table needs bytes, pipeline and floor samples for each of "
                    + hops.size() + " hops");
        }
        hops = List.copyOf(hops);
        bytes = List.copyOf(bytes);
        pipeline = pipeline.stream().map(List::copyOf).toList();
        floor = floor.stream().map(List::copyOf).toList();
    }

    /** The chain's five hops beside the same hops of the pipeline's {@code reports} (those without hops skipped). */
    public static HopTable of(ChainResult chain, List<VoiceEvent.TurnMetrics> reports) {
        if (chain.hopNames().size() != FROM_REPORT.size()) {
            throw new IllegalArgumentException("the chain has " + chain.hopNames().size() + " hops, the pipeline "
                    + FROM_REPORT.size());
        }
        List<List<Double>> pipeline = new ArrayList<>();
        List<List<Double>> floor = new ArrayList<>();
        for (int i = 0; i < FROM_REPORT.size(); i++) {
            Function<VoiceEvent.TurnMetrics.Hops, Double> hop = FROM_REPORT.get(i);
            pipeline.add(reports.stream().map(VoiceEvent.TurnMetrics::transportHops).filter(Objects::nonNull)
                    .map(hop).filter(Objects::nonNull).toList());
            floor.add(chain.hop(i));
        }
        return new HopTable(chain.hopNames(), chain.valueSizes(), pipeline, floor, Bootstrap.standard());
    }

    /** One row per hop: name, bytes, then the figures of {@link #COLUMNS}. */
    public List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            List<Double> mine = pipeline.get(i);
            List<Double> chain = floor.get(i);
            rows.add(List.of(hops.get(i), Integer.toString(bytes.get(i)),
                    bootstrap.percentile(mine, 0.50).format(2), bootstrap.percentile(chain, 0.50).format(2),
                    bootstrap.difference(mine, chain, 0.50).format(2),
                    bootstrap.percentile(mine, 0.99).format(2), bootstrap.percentile(chain, 0.99).format(2)));
        }
        return rows;
    }

    public BenchReport.Table asReportTable() {
        return new BenchReport.Table("per hop: pipeline beside the floor (ms, 95 % bootstrap intervals)", COLUMNS,
                rows());
    }

    /** The console table with its title. */
    public String render() {
        BenchReport.Table table = asReportTable();
        return table.title() + ":\n" + table.text();
    }
}

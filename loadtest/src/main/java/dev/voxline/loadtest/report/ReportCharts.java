package dev.voxline.loadtest.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn by XChart and exported as SVG markup to inline in the HTML (a PNG data URI if the SVG
 * export fails). Charts are drawn headless.
 */
final class ReportCharts {

    static final int WIDTH = 560;
    static final int HEIGHT = 340;
    /** The percentiles a percentile plot marks on its x axis (as "nines": 90 % = 1, 99 % = 2 …). */
    private static final double[] PERCENTILE_TICKS = {0, 50, 90, 99, 99.9, 99.99};
    private static final java.util.regex.Pattern LONG_DECIMALS = java.util.regex.Pattern.compile(
            "(\\d\\.\\d{2})\\d+");

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportCharts() {
    }

    /** A histogram of the sample set's values. */
    static String histogram(BenchReport.SampleSet set) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(set.label() + " — histogram").xAxisTitle(set.metric() + " (" + set.unit() + ")")
                .yAxisTitle("count").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setAvailableSpaceFill(0.96);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(set.min(), set.max()));
        // XChart's sanity check asks contains(null), which an immutable list refuses
        List<Double> values = new ArrayList<>(set.values());
        double min = set.min();
        double max = set.max();
        if (max - min < 1e-9) {
            max = min + 1;
        }
        int bins = Math.max(5, Math.min(40, (int) Math.ceil(Math.sqrt(values.size()))));
        Histogram histogram = new Histogram(values, bins, min, max);
        chart.addSeries(set.metric(), histogram.getxAxisData(), histogram.getyAxisData());
        return encode(chart, chart.getTitle());
    }

    /**
     * The value at each percentile, on a "nines" x axis (50 %, 90 %, 99 %, 99.9 % evenly spaced) so the tail is as
     * visible as the median.
     */
    static String percentilePlot(BenchReport.SampleSet set) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(set.label() + " — percentiles").xAxisTitle("percentile")
                .yAxisTitle(set.metric() + " (" + set.unit() + ")").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        double[] sorted = set.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        // the highest percentile the sample can speak for: the last rank's
        double top = n > 1 ? 1 - 1.0 / n : 0.5;
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int points = Math.min(400, Math.max(2, n * 2));
        double maxNines = nines(top);
        for (int i = 0; i <= points; i++) {
            double x = maxNines * i / points;
            double p = 1 - Math.pow(10, -x);
            xs.add(x);
            ys.add(Percentiles.percentile(sorted, Math.min(1, p)));
        }
        XYSeries series = chart.addSeries(set.metric(), xs, ys);
        series.setMarker(SeriesMarkers.NONE);
        chart.setCustomXAxisTickLabelsFormatter(ReportCharts::ninesLabel);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.max(maxNines, nines(0.9)));
        return encode(chart, chart.getTitle());
    }

    /** A line chart of the curve's series. */
    static String lineChart(BenchReport.Curve curve) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(curve.name())
                .xAxisTitle(curve.xLabel()).yAxisTitle(curve.yLabel()).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (BenchReport.Series s : curve.series()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().size(); i++) {
                if (s.x().get(i) != null && s.y().get(i) != null) {
                    xs.add(s.x().get(i));
                    ys.add(s.y().get(i));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            chart.addSeries(s.name(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        return encode(chart, chart.getTitle());
    }

    static double nines(double p) {
        return p >= 1 ? 6 : -Math.log10(1 - p);
    }

    private static String ninesLabel(Double x) {
        double p = 100 * (1 - Math.pow(10, -x));
        for (double tick : PERCENTILE_TICKS) {
            if (Math.abs(tick - p) < 1e-6 * Math.max(1, tick)) {
                return trim(tick) + "%";
            }
        }
        String text = String.format(Locale.ROOT, "%.3g", p);
        return (text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text) + "%";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String decimalPattern(double min, double max) {
        return max - min >= 20 ? "#0" : max - min >= 2 ? "#0.0" : "#0.00";
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setPlotGridLinesColor(new Color(0xE0E0E0));
        }
    }

    /**
     * A figure with a caption (XChart draws its text as outlines, so the caption is what a reader can search) and
     * the chart as SVG markup (no XML prolog) if the vector export works, else an {@code <img>} with a PNG data URI.
     */
    private static String encode(Chart<?, ?> chart, String caption) {
        String open = "<figure class=\"chart\"><figcaption>" + BenchReportHtml.esc(caption) + "</figcaption>";
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            // coordinates to 2 decimals: a hundredth of a pixel is plenty, and XChart's text outlines are long
            String svg = LONG_DECIMALS.matcher(out.toString(StandardCharsets.UTF_8)).replaceAll("$1");
            int start = svg.indexOf("<svg");
            if (start >= 0) {
                return open + svg.substring(start) + "</figure>";
            }
        } catch (IOException | RuntimeException e) {
            // fall through to a bitmap
        }
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return open + "<img alt=\"" + BenchReportHtml.esc(caption) + "\" src=\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png) + "\"></figure>";
        } catch (IOException | RuntimeException e) {
            return open + "<p class=\"missing\">chart not drawn: " + BenchReportHtml.esc(e.toString())
                    + "</p></figure>";
        }
    }
}

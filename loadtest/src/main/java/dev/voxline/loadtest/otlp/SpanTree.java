package dev.voxline.loadtest.otlp;

import dev.voxline.loadtest.otlp.OtlpTraceReceiver.ReceivedSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One trace's spans as a tree: each span under its parent, in start order, with its service and duration. */
public final class SpanTree {

    private SpanTree() {
    }

    /**
     * Renders the trace, e.g. {@code voice.turn (vad-service) 912.4 ms} with children indented by two spaces and
     * their start offset from the root. Spans whose parent is not among them are listed at the top level.
     */
    public static String render(List<ReceivedSpan> trace) {
        Map<String, List<ReceivedSpan>> children = new HashMap<>();
        Set<String> ids = new HashSet<>();
        trace.forEach(span -> ids.add(span.spanId()));
        List<ReceivedSpan> tops = new ArrayList<>();
        for (ReceivedSpan span : trace) {
            if (span.isRoot() || !ids.contains(span.parentSpanId())) {
                tops.add(span);
            } else {
                children.computeIfAbsent(span.parentSpanId(), id -> new ArrayList<>()).add(span);
            }
        }
        Comparator<ReceivedSpan> byStart = Comparator.comparingLong(ReceivedSpan::startNanos);
        tops.sort(byStart);
        children.values().forEach(list -> list.sort(byStart));
        long origin = tops.isEmpty() ? 0 : tops.get(0).startNanos();
        StringBuilder out = new StringBuilder();
        for (ReceivedSpan top : tops) {
            append(out, top, children, origin, 0);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, ReceivedSpan span, Map<String, List<ReceivedSpan>> children,
                               long origin, int depth) {
        String type = span.attribute("voice.event_type");
        out.append("  ".repeat(depth)).append(span.name()).append(type != null ? " [" + type + "]" : "")
                .append(" (").append(span.service()).append(") ")
                .append(String.format(Locale.ROOT, "%.1f ms, at +%.1f ms", span.durationMs(),
                        (span.startNanos() - origin) / 1e6))
                .append(span.error() ? " ERROR" : "")
                .append('\n');
        for (ReceivedSpan child : children.getOrDefault(span.spanId(), List.of())) {
            append(out, child, children, origin, depth + 1);
        }
    }
}

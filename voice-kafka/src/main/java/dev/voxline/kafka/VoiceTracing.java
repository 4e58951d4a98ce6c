package dev.voxline.kafka;

import dev.voxline.contracts.Bounded;
import dev.voxline.contracts.VoxHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One trace per turn across every service, through Micrometer Tracing (the OpenTelemetry bridge in the services).
 * The turn's root span {@value #TURN} starts where the turn starts; every stage opens its own span as a child of
 * the {@code traceparent} header of the record that brought the work, and stamps what it produces with its own
 * span's context ({@link SessionRoute#withTraceparent}), so the trace follows the pipeline: turn → stt → llm →
 * tts → gateway playback. Each Kafka hop on the way shows as a {@value #HOP_PREFIX}topic span from the producer's send
 * time to the consumer's poll ({@link #hop}).
 *
 * <p>Spans carry {@value #SESSION_ID} and {@value #TURN_ID}; text (what the caller said, what the agent answered)
 * goes into an attribute only when {@link #recordText()} is set. Without a tracer every method is a no-op and
 * {@link #traceparent} returns null, so records carry no trace context.
 */
public final class VoiceTracing {

    public static final String TURN = "voice.turn";
    public static final String HOP_PREFIX = "hop ";
    public static final String SESSION_ID = "voice.session_id";
    public static final String TURN_ID = "voice.turn_id";
    /** A record type's first hop per producing span is traced: the critical path, not every audio chunk. */
    private static final int MAX_REMEMBERED_HOPS = 4_096;

    public static final VoiceTracing NOOP = new VoiceTracing(Tracer.NOOP, Propagator.NOOP, false);

    private final Tracer tracer;
    private final Propagator propagator;
    private final boolean recordText;
    private final Map<String, Boolean> tracedHops = Bounded.newestEntries(MAX_REMEMBERED_HOPS);

    public VoiceTracing(Tracer tracer, Propagator propagator, boolean recordText) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.recordText = recordText;
    }

    /** True when spans may carry transcripts and replies ({@code voxline.tracing.record-text}). */
    public boolean recordText() {
        return recordText;
    }

    public boolean enabled() {
        return tracer != Tracer.NOOP;
    }

    /** Starts a turn's root span at {@code startMicros} (wall clock, epoch µs; ≤ 0: now). */
    public Span startTurn(String sessionId, String turnId, long startMicros) {
        Span.Builder builder = tracer.spanBuilder().setNoParent();
        return start(builder, TURN, sessionId, turnId, startMicros);
    }

    /**
     * Starts {@code name} as a child of {@code parentTraceparent} (a W3C {@code traceparent}); without one, as the
     * root of a trace of its own.
     */
    public Span startSpan(String name, String parentTraceparent, String sessionId, String turnId, long startMicros) {
        return start(builder(parentTraceparent), name, sessionId, turnId, startMicros);
    }

    /** Starts {@code name} as a child of {@code parent}. */
    public Span startChild(String name, Span parent, String sessionId, String turnId, long startMicros) {
        Span.Builder builder = parent == null ? tracer.spanBuilder().setNoParent()
                : tracer.spanBuilder().setParent(parent.context());
        return start(builder, name, sessionId, turnId, startMicros);
    }

    /** The span's W3C {@code traceparent}, for records that continue its work elsewhere; null without tracing. */
    public String traceparent(Span span) {
        if (span == null || span.isNoop()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(VoxHeaders.TRACEPARENT);
    }

    /** {@code route} stamped with {@code span}'s context (unchanged without tracing). */
    public SessionRoute route(SessionRoute route, Span span) {
        String traceparent = traceparent(span);
        return traceparent == null ? route : route.withTraceparent(traceparent);
    }

    /**
     * Records the Kafka hop that brought {@code record} as a consumer span from its send time to its poll, a child
     * of the span that produced it — once per record type and producing span (the first clause, the first audio
     * chunk of a clause …), so the trace shows the critical path's hops without one span per audio chunk.
     */
    public void hop(VoiceRecord record) {
        String traceparent = record.header(VoxHeaders.TRACEPARENT);
        if (!enabled() || traceparent == null || record.sentMicros() <= 0) {
            return;
        }
        if (!firstHop(traceparent + ' ' + record.topic() + ' ' + record.type())) {
            return;
        }
        hop(traceparent, record.topic(), record.type(), record.sessionId(), record.header(VoxHeaders.TURN),
                record.sentMicros(), record.polledMicros());
    }

    /** A hop span for a record whose timing is known (e.g. the last voiced frame of an utterance). */
    public void hop(String parentTraceparent, String topic, String type, String sessionId, String turnId,
                    long sentMicros, long polledMicros) {
        if (!enabled() || parentTraceparent == null || sentMicros <= 0 || polledMicros < sentMicros) {
            return;
        }
        Span.Builder builder = builder(parentTraceparent)
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", topic)
                .tag("voice.event_type", type == null ? "unknown" : type)
                .tag("voice.hop_ms", (polledMicros - sentMicros) / 1000.0);
        start(builder, HOP_PREFIX + topic, sessionId, turnId, sentMicros).end(polledMicros, TimeUnit.MICROSECONDS);
    }

    /** Ends {@code span} at {@code endMicros} (≤ 0: now); null-safe. */
    public static void end(Span span, long endMicros) {
        if (span == null) {
            return;
        }
        if (endMicros > 0) {
            span.end(endMicros, TimeUnit.MICROSECONDS);
        } else {
            span.end();
        }
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    public static String traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-') {
            return null;
        }
        return traceparent.substring(3, 35);
    }

    /** The span's trace id, or null for a no-op span. */
    public static String traceId(Span span) {
        if (span == null || span.isNoop()) {
            return null;
        }
        TraceContext context = span.context();
        return context.traceId();
    }

    private Span.Builder builder(String parentTraceparent) {
        if (parentTraceparent == null || !enabled()) {
            return tracer.spanBuilder().setNoParent();
        }
        return propagator.extract(Map.of(VoxHeaders.TRACEPARENT, parentTraceparent), Map::get);
    }

    private Span start(Span.Builder builder, String name, String sessionId, String turnId, long startMicros) {
        builder.name(name);
        if (sessionId != null) {
            builder.tag(SESSION_ID, sessionId);
        }
        if (turnId != null) {
            builder.tag(TURN_ID, turnId);
        }
        if (startMicros > 0) {
            builder.startTimestamp(startMicros, TimeUnit.MICROSECONDS);
        }
        return builder.start();
    }

    private synchronized boolean firstHop(String key) {
        return tracedHops.put(key, Boolean.TRUE) == null;
    }
}

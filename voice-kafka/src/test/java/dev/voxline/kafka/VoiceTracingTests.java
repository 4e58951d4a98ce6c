package dev.voxline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The turn's trace as the stages build it, on the real OpenTelemetry SDK through the Micrometer bridge. */
class VoiceTracingTests {

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final VoiceTracing tracing = new VoiceTracing(
            new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel), false);

    @AfterEach
    void close() {
        provider.close();
        MDC.clear();
    }

    @Test
    void aChildStartedFromARecordsTraceparentContinuesTheTurnsTrace() {
        Span root = tracing.startTurn("sess_a", "turn_1", 1_000_000L);
        String traceparent = tracing.traceparent(root);
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(VoiceTracing.traceId(traceparent)).isEqualTo(VoiceTracing.traceId(root));

        Span child = tracing.startSpan("stt.transcribe", traceparent, "sess_a", "turn_1", 0);
        child.end();
        root.end(3_000_000L, TimeUnit.MICROSECONDS);

        SpanData rootData = exported("voice.turn");
        SpanData childData = exported("stt.transcribe");
        assertThat(childData.getTraceId()).isEqualTo(rootData.getTraceId());
        assertThat(childData.getParentSpanId()).isEqualTo(rootData.getSpanId());
        assertThat(rootData.getParentSpanContext().isValid()).isFalse();
        assertThat(rootData.getStartEpochNanos()).isEqualTo(1_000_000_000L);
        assertThat(rootData.getEndEpochNanos()).isEqualTo(3_000_000_000L);
        assertThat(childData.getAttributes().asMap().toString()).contains("voice.session_id=sess_a",
                "voice.turn_id=turn_1");
    }

    @Test
    void aHopIsTracedFromSendToPollOncePerRecordTypeAndProducingSpan() {
        Span producer = tracing.startTurn("sess_a", "turn_1", 0);
        String traceparent = tracing.traceparent(producer);
        tracing.hop(record(traceparent, "audio", 5_000_000L, 5_012_500L));
        tracing.hop(record(traceparent, "audio", 5_020_000L, 5_030_000L)); // the same producer's next chunk
        tracing.hop(record(traceparent, "audio.done", 5_040_000L, 5_041_000L));
        tracing.hop(record(null, "audio", 5_050_000L, 5_051_000L)); // no trace context: nothing to continue

        List<SpanData> hops = exported.stream().filter(span -> span.getName().equals("hop voice.downlink")).toList();
        assertThat(hops).hasSize(2);
        SpanData first = hops.get(0);
        assertThat(first.getParentSpanId()).isEqualTo(producer.context().spanId());
        assertThat(first.getStartEpochNanos()).isEqualTo(5_000_000_000L);
        assertThat(first.getEndEpochNanos()).isEqualTo(5_012_500_000L);
        assertThat(first.getAttributes().asMap().toString()).contains("voice.hop_ms=12.5",
                "messaging.destination.name=voice.downlink", "voice.event_type=audio", "voice.turn_id=turn_1");
    }

    @Test
    void withoutATracerNothingIsTracedAndRoutesStayAsTheyAre() {
        SessionRoute route = new SessionRoute("sess_a", 3, null);
        Span span = VoiceTracing.NOOP.startTurn("sess_a", "turn_1", 0);
        assertThat(VoiceTracing.NOOP.traceparent(span)).isNull();
        assertThat(VoiceTracing.NOOP.route(route, span)).isSameAs(route);
        VoiceTracing.NOOP.hop(record("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "audio", 1, 2));
        assertThat(exported).isEmpty();
    }

    @Test
    void turnSpansEndEachTurnOnceAndEveryOpenOneWithTheSession() {
        TurnSpans turns = new TurnSpans(tracing, "sess_a");
        turns.start("turn_1", 0);
        turns.start("turn_2", 0);
        turns.end("turn_1", 0, "played");
        turns.end("turn_1", 0, "played"); // a second playback.stopped of the turn
        assertThat(turns.openCount()).isEqualTo(1);
        turns.endAll("session ended");

        assertThat(exported).extracting(span -> span.getAttributes().asMap().toString())
                .hasSize(2)
                .anySatisfy(attributes -> assertThat(attributes).contains("voice.turn.end=played",
                        "voice.turn_id=turn_1"))
                .anySatisfy(attributes -> assertThat(attributes).contains("voice.turn.end=session ended",
                        "voice.turn_id=turn_2"));
        assertThat(turns.openCount()).isZero();
    }

    @Test
    void theLogContextNamesTheRecordsSessionTurnAndTraceAndRestoresWhatWasThere() {
        MDC.put(LogContext.SESSION_ID, "outer");
        VoiceRecord record = record("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "audio", 1, 2);
        try (LogContext ignored = LogContext.of(record)) {
            assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("sess_a");
            assertThat(MDC.get(LogContext.TURN_ID)).isEqualTo("turn_1");
            assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        }
        assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("outer");
        assertThat(MDC.get(LogContext.TURN_ID)).isNull();
        assertThat(MDC.get(LogContext.TRACE_ID)).isNull();
    }

    private SpanData exported(String name) {
        return exported.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }

    private static VoiceRecord record(String traceparent, String type, long sentMicros, long polledMicros) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of(VoxHeaders.TYPE, type,
                VoxHeaders.TURN, "turn_1", VoxHeaders.SENT_US, Long.toString(sentMicros)));
        if (traceparent != null) {
            headers.put(VoxHeaders.TRACEPARENT, traceparent);
        }
        return new VoiceRecord(Topics.DOWNLINK, 0, 0, "sess_a", headers, new byte[0], polledMicros);
    }
}

package dev.voxline.loadtest.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A local OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf, as the OpenTelemetry SDK's exporter sends it):
 * what a collector would get, kept in memory, for tests of the turn's trace and for measuring what exporting costs.
 * Point a service at it with {@code management.opentelemetry.tracing.export.otlp.endpoint=}{@link #tracesEndpoint()}.
 */
public final class OtlpTraceReceiver implements AutoCloseable {

    /** One received span; times in epoch nanoseconds, ids in lower-case hex, {@code parentSpanId} "" for a root. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               long startNanos, long endNanos, Map<String, String> attributes, boolean error) {

        public double durationMs() {
            return (endNanos - startNanos) / 1e6;
        }

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }

        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private long requests;
    private long rejected;

    /** Listens on a free loopback port. */
    public OtlpTraceReceiver() throws IOException {
        this(0);
    }

    public OtlpTraceReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/v1/traces", this::onExport);
        server.createContext("/v1/metrics", OtlpTraceReceiver::onMetrics);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "otlp-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to export spans to. */
    public String tracesEndpoint() {
        return "http://127.0.0.1:" + port() + "/v1/traces";
    }

    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public synchronized List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    public synchronized long requests() {
        return requests;
    }

    /** Export requests that could not be decoded (answered 400). */
    public synchronized long rejected() {
        return rejected;
    }

    public synchronized void clear() {
        spans.clear();
    }

    /**
     * Waits until the spans received so far satisfy {@code condition}; returns them. Exporters send in batches
     * every few hundred ms, so a trace's spans arrive in pieces.
     */
    public List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(spans)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("spans received in " + timeout.toMillis() + " ms did not "
                            + "satisfy the condition; got " + spans.size() + ": " + names(spans));
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(spans);
        }
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> span.service() + "/" + span.name()).distinct().toList();
    }

    private void onExport(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body = body(exchange)) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                synchronized (this) {
                    rejected++;
                }
                byte[] message = ("not an OTLP ExportTraceServiceRequest: " + e.getMessage()).getBytes();
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            List<ReceivedSpan> received = decode(request);
            synchronized (this) {
                requests++;
                spans.addAll(received);
                notifyAll();
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
        }
    }

    /** Metrics are accepted and dropped: a service told to export everything here should not log failures. */
    private static void onMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static InputStream body(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream body = exchange.getRequestBody();
        return "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(body) : body;
    }

    static List<ReceivedSpan> decode(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        List<ReceivedSpan> decoded = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = attributes(resourceSpans.getResource().getAttributesList())
                    .getOrDefault("service.name", "unknown");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                    decoded.add(new ReceivedSpan(service, hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(),
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                            attributes(span.getAttributesList()),
                            span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR));
                }
            }
        }
        return decoded;
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (KeyValue keyValue : keyValues) {
            attributes.put(keyValue.getKey(), text(keyValue.getValue()));
        }
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().strip();
        };
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package dev.voxline.local;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.client.WholeMessages;
import dev.voxline.contracts.event.VoiceEvent;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for the integration tests, on the JDK's own {@link HttpClient} so it shares nothing with
 * the gateway's stack. It records every message with the time it arrived.
 */
final class TestTalkClient implements AutoCloseable {

    /** A received message: a decoded event, or binary audio. */
    record Received(long nanos, VoiceEvent event, byte[] audio) {
        boolean isAudio() {
            return audio != null;
        }

        String type() {
            return audio != null ? "binary" : JsonCodec.typeName(event);
        }
    }

    /**
     * Held for the socket's lifetime: the JDK closes an HttpClient's connections, WebSockets included, once the
     * client itself is garbage (seen when a test restarts a service context, which allocates a lot).
     */
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private TestTalkClient(URI uri) {
        this.socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WholeMessages(new Receiver())).join();
    }

    static TestTalkClient connect(int port) {
        return new TestTalkClient(URI.create("ws://127.0.0.1:" + port + "/v1/talk"));
    }

    void sendJson(String json) {
        socket.sendText(json, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends PCM in chunks of {@code chunkMs}, pacing at {@code speed}× real time (0 = as fast as possible). */
    void streamPcm(byte[] pcm, int sampleRate, int chunkMs, double speed) throws InterruptedException {
        int chunk = sampleRate / 1000 * chunkMs * 2;
        long start = System.nanoTime();
        for (int offset = 0, n = 0; offset < pcm.length; offset += chunk, n++) {
            if (speed > 0) {
                long due = start + (long) (n * chunkMs * 1_000_000L / speed);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            sendBinary(java.util.Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + chunk)));
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<VoiceEvent> events() {
        return received.stream().filter(r -> !r.isAudio()).map(Received::event).toList();
    }

    List<String> types() {
        return received.stream().map(Received::type).toList();
    }

    @SuppressWarnings("unchecked")
    <T extends VoiceEvent> List<T> events(Class<T> type) {
        return (List<T>) events().stream().filter(type::isInstance).toList();
    }

    /** Waits until a received event matches, failing with everything received so far after the timeout. */
    <T extends VoiceEvent> T await(Class<T> type, Predicate<T> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (T event : events(type)) {
                if (condition.test(event)) {
                    return event;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; received: " + types()
                + " " + events());
    }

    <T extends VoiceEvent> T await(Class<T> type, Duration timeout) throws InterruptedException {
        return await(type, e -> true, timeout);
    }

    byte[] audioBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        received.stream().filter(Received::isAudio).forEach(r -> out.writeBytes(r.audio()));
        return out.toByteArray();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    /** Whole messages from the gateway, kept in arrival order (loadtest's {@link WholeMessages}). */
    private final class Receiver implements WholeMessages.Sink {
        @Override
        public void text(String message, long nanos) {
            received.add(new Received(nanos, JsonCodec.get().decodeEvent(message), null));
        }

        @Override
        public void binary(byte[] message, long nanos) {
            received.add(new Received(nanos, null, message));
        }

        @Override
        public void closed(String description) {
            closed.complete(description);
        }
    }

    /** The index in {@code all} of the first {@code type} event of {@code turnId}; fails the test when there is none. */
    static int indexOf(List<Received> all, Class<? extends VoiceEvent> type, String turnId) {
        for (int i = 0; i < all.size(); i++) {
            Received r = all.get(i);
            if (!r.isAudio() && type.isInstance(r.event()) && turnId.equals(r.event().turnId())) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " of " + turnId);
    }

    static List<String> dedupeConsecutive(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String type : types) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(type)) {
                out.add(type);
            }
        }
        return out;
    }
}

package dev.voxline.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/** A test client for {@code /v1/talk}: send frames, then wait for what comes back. */
final class TalkClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A received frame: a decoded event, or the size of a binary frame. */
    record Received(VoiceEvent event, int binaryBytes) {
        boolean isBinary() {
            return event == null;
        }

        String type() {
            return event == null ? "binary" : JsonCodec.typeName(event);
        }
    }

    private final Sinks.Many<Object> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> history = new ArrayList<>();
    private final Sinks.One<Boolean> closed = Sinks.one();
    private final Sinks.One<Throwable> failed = Sinks.one();
    private final Disposable connection;

    TalkClient(int port) {
        this(port, null);
    }

    /** {@code origin}: the {@code Origin} header a browser page would send (null: none, like a CLI). */
    TalkClient(int port, String origin) {
        ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(HttpClient.create(),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(2 << 20));
        HttpHeaders headers = new HttpHeaders();
        if (origin != null) {
            headers.setOrigin(origin);
        }
        connection = client.execute(URI.create("ws://127.0.0.1:" + port + "/v1/talk"), headers, session -> {
            Mono<Void> send = session.send(outgoing.asFlux().map(frame -> frame instanceof byte[] bytes
                    ? session.binaryMessage(factory -> factory.wrap(bytes))
                    : session.textMessage((String) frame)));
            Mono<Void> receive = session.receive().doOnNext(message -> {
                if (message.getType() == WebSocketMessage.Type.TEXT) {
                    received.add(new Received(JsonCodec.get().decodeEvent(message.getPayloadAsText()), 0));
                } else if (message.getType() == WebSocketMessage.Type.BINARY) {
                    received.add(new Received(null, message.getPayload().readableByteCount()));
                }
            }).then().doFinally(signal -> closed.tryEmitValue(Boolean.TRUE));
            return Mono.when(send, receive);
        }).subscribe(null, failed::tryEmitValue);
    }

    TalkClient send(String json) {
        outgoing.tryEmitNext(json);
        return this;
    }

    TalkClient send(byte[] binary) {
        outgoing.tryEmitNext(binary);
        return this;
    }

    Received next() {
        try {
            Received next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a frame from the server within " + WAIT).isNotNull();
            history.add(next);
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the next event of {@code type}, skipping (and remembering) everything before it. */
    @SuppressWarnings("unchecked")
    <E extends VoiceEvent> E await(Class<E> type) {
        while (true) {
            Received next = next();
            if (type.isInstance(next.event())) {
                return (E) next.event();
            }
        }
    }

    /** Everything received so far, in order. */
    List<Received> history() {
        return history;
    }

    /** Frames that arrive within {@code window} (does not fail if none). */
    List<Received> drain(Duration window) throws InterruptedException {
        List<Received> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            Received next = received.poll(10, TimeUnit.MILLISECONDS);
            if (next != null) {
                out.add(next);
                history.add(next);
            }
        }
        return out;
    }

    /** Why the connection failed (the handshake's refusal, say), or null when it did not within {@link #WAIT}. */
    Throwable awaitFailure() {
        return failed.asMono().timeout(WAIT, Mono.empty()).block();
    }

    boolean awaitClosed() {
        return Boolean.TRUE.equals(closed.asMono().block(WAIT));
    }

    @Override
    public void close() {
        outgoing.tryEmitComplete();
        connection.dispose();
    }
}

package dev.voxline.gateway.socket;

import dev.voxline.gateway.downlink.TrackedFrame;
import dev.voxline.gateway.session.GatewaySession;
import dev.voxline.gateway.session.SessionRegistry;
import dev.voxline.kafka.WallClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/talk} (docs/protocol.md): one socket, one {@link GatewaySession}. Client frames go to the session as
 * they arrive; everything for the client leaves through the session's bounded {@code OutboundQueue}, so the socket
 * write side is the only place that waits for the network.
 */
public final class TalkWebSocketHandler implements WebSocketHandler {

    public static final String PATH = "/v1/talk";

    private static final Logger log = LoggerFactory.getLogger(TalkWebSocketHandler.class);
    /** A client that stops reading cannot make the goodbye wait: give the last frames this long. */
    private static final Duration SLOW_CONSUMER_GOODBYE = Duration.ofMillis(500);
    private static final CloseStatus SLOW_CONSUMER_CLOSE = CloseStatus.POLICY_VIOLATION.withReason("slow_consumer");

    private final SessionRegistry sessions;

    public TalkWebSocketHandler(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> handle(WebSocketSession socket) {
        GatewaySession session = sessions.open();
        log.debug("session {} connected from {}", session.id(), socket.getHandshakeInfo().getRemoteAddress());
        Mono<Void> input = socket.receive()
                .doOnNext(message -> dispatch(session, message))
                .then()
                .doFinally(signal -> session.onSocketClosed());
        Mono<Void> output = socket.send(session.outbound().frames().map(frame -> toMessage(socket, frame)))
                .then(Mono.defer(() -> session.outbound().overflowed()
                        ? closeSlowConsumer(socket, session) : socket.close(CloseStatus.NORMAL)));
        return Mono.when(input, output)
                .doFinally(signal -> sessions.close(session));
    }

    private static void dispatch(GatewaySession session, WebSocketMessage message) {
        // Runs on the event loop; the payload is released after this returns, so copy what is kept.
        DataBuffer payload = message.getPayload();
        if (message.getType() == WebSocketMessage.Type.BINARY) {
            long arrival = WallClock.micros();
            byte[] pcm = new byte[payload.readableByteCount()];
            payload.read(pcm);
            session.onBinary(pcm, arrival);
        } else if (message.getType() == WebSocketMessage.Type.TEXT) {
            int bytes = payload.readableByteCount();
            session.onText(payload.toString(StandardCharsets.UTF_8), bytes);
        }
        // PING/PONG are answered by Reactor Netty.
    }

    private static WebSocketMessage toMessage(WebSocketSession socket, Object frame) {
        if (frame instanceof TrackedFrame tracked) {
            // The frame leaves the outbound queue into the socket's send now: the turn clock's instant.
            tracked.onSent().accept(WallClock.micros());
            return toMessage(socket, tracked.frame());
        }
        if (frame instanceof byte[] pcm) {
            return socket.binaryMessage(factory -> factory.wrap(pcm));
        }
        return socket.textMessage((String) frame);
    }

    private static Mono<Void> closeSlowConsumer(WebSocketSession socket, GatewaySession session) {
        return socket.send(Mono.fromSupplier(() -> socket.textMessage(session.slowConsumerError())))
                .timeout(SLOW_CONSUMER_GOODBYE)
                .onErrorResume(e -> Mono.empty())
                .then(socket.close(SLOW_CONSUMER_CLOSE).timeout(SLOW_CONSUMER_GOODBYE).onErrorResume(e -> Mono.empty()));
    }
}

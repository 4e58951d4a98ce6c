package dev.voxline.gateway.socket;

import dev.voxline.contracts.client.Quote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Refuses a WebSocket handshake from a browser page on an origin that is not {@linkplain AllowedOrigins allowed}
 * with HTTP 403 before any session exists, so a foreign web page cannot talk to the gateway in its visitor's name
 * (cross-site WebSocket hijacking). A request without an {@code Origin} header — the CLI, the load generator, any
 * client that is not a browser — is handed on: only browsers send it, and outside a browser it proves nothing.
 */
public final class OriginCheckingWebSocketService implements WebSocketService {

    private static final Logger log = LoggerFactory.getLogger(OriginCheckingWebSocketService.class);

    private final WebSocketService delegate;
    private final AllowedOrigins origins;

    public OriginCheckingWebSocketService(WebSocketService delegate, AllowedOrigins origins) {
        this.delegate = delegate;
        this.origins = origins;
    }

    @Override
    public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
        String origin = exchange.getRequest().getHeaders().getOrigin();
        if (origin == null || origins.allows(origin)) {
            return delegate.handleRequest(exchange, handler);
        }
        log.warn("refused a WebSocket on {} from {}: origin {} is not in voxline.gateway.allowed-origins",
                exchange.getRequest().getPath(), exchange.getRequest().getRemoteAddress(), Quote.shortened(origin));
        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
        return exchange.getResponse().setComplete();
    }
}

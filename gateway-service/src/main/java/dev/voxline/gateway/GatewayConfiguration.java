package dev.voxline.gateway;

import dev.voxline.gateway.downlink.DownlinkListener;
import dev.voxline.gateway.downlink.DownlinkPartitions;
import dev.voxline.gateway.session.GatewayProperties;
import dev.voxline.gateway.session.SessionRegistry;
import dev.voxline.gateway.socket.AllowedOrigins;
import dev.voxline.gateway.socket.OriginCheckingWebSocketService;
import dev.voxline.gateway.socket.TalkWebSocketHandler;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.spring.VoxlineKafkaProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.WebsocketServerSpec;

/** Wires the WebSocket endpoint, the session registry and the downlink reader. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, VoxlineKafkaProperties.class})
public class GatewayConfiguration implements WebFluxConfigurer {

    private final GatewayProperties gateway;

    public GatewayConfiguration(GatewayProperties gateway) {
        this.gateway = gateway;
    }

    @Bean
    DownlinkPartitions downlinkPartitions(GatewayProperties gateway, VoxlineKafkaProperties kafka) {
        return new DownlinkPartitions(gateway.instanceIndex().value(), kafka.partitionsPerGateway(),
                kafka.gatewayInstances());
    }

    @Bean
    SessionRegistry sessionRegistry(GatewayProperties gateway, DownlinkPartitions partitions,
                                    VoiceTransport transport, MeterRegistry meters,
                                    ObjectProvider<VoiceTracing> tracing) {
        return new SessionRegistry(gateway, partitions, transport, meters,
                () -> System.nanoTime() / 1_000_000, Schedulers.parallel(),
                tracing.getIfAvailable(() -> VoiceTracing.NOOP));
    }

    @Bean
    TalkWebSocketHandler talkWebSocketHandler(SessionRegistry sessions) {
        return new TalkWebSocketHandler(sessions);
    }

    @Bean
    HandlerMapping talkHandlerMapping(TalkWebSocketHandler handler) {
        return new SimpleUrlHandlerMapping(Map.of(TalkWebSocketHandler.PATH, handler), -1);
    }

    /**
     * Reactor Netty's default message limit (64 KiB) would close the connection (1009) on a frame just over the
     * protocol's limit; raise it so the application sees oversize frames and answers {@code frame_too_large}. A
     * browser page on an origin that is not allowed is refused (403) before the upgrade.
     */
    @Override
    public WebSocketService getWebSocketService() {
        return new OriginCheckingWebSocketService(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(GatewayProperties.SOCKET_MAX_FRAME_BYTES))),
                AllowedOrigins.of(gateway.allowedOrigins()));
    }

    @Bean
    @ConditionalOnProperty(name = "voxline.gateway.downlink.enabled", havingValue = "true", matchIfMissing = true)
    DownlinkListener downlinkListener(VoiceTransport transport, TopicDeclarer topics, DownlinkPartitions partitions,
                                      SessionRegistry sessions) {
        return new DownlinkListener(transport, topics, partitions, sessions::onDownlink);
    }
}

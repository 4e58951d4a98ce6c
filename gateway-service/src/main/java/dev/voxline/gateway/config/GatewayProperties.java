package dev.voxline.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Gateway settings ({@code voxline.gateway.*}); docs/protocol.md §9 documents the client-visible limits.
 *
 * @param instanceIndex       this instance's index: it owns voice.downlink partitions [n·i, n·i+n)
 * @param maxFrameBytes       largest binary (audio) frame accepted from a client
 * @param maxTextChars        longest {@code text.input} text
 * @param maxJsonBytes        largest JSON text frame accepted from a client
 * @param allowTestSettings   honour {@code simulation} in {@code session.start} (tests and benchmarks only)
 * @param playbackLead        how far reply audio may be sent ahead of the caller's playback
 * @param outboundQueueFrames frames queued for a socket before the client counts as a slow consumer
 * @param turnOrderTimeout    how long an event waits for its predecessor before it is released anyway
 */
@ConfigurationProperties("voxline.gateway")
public record GatewayProperties(
        @DefaultValue("0") int instanceIndex,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("2000") int maxTextChars,
        @DefaultValue("16384") int maxJsonBytes,
        @DefaultValue("false") boolean allowTestSettings,
        @DefaultValue("200ms") Duration playbackLead,
        @DefaultValue("1000") int outboundQueueFrames,
        @DefaultValue("2s") Duration turnOrderTimeout) {

    /**
     * Reactor Netty's own limit on one WebSocket message. It sits well above {@link #maxFrameBytes} so an oversize
     * frame reaches the application and gets a clear {@code frame_too_large} instead of a protocol close (1009).
     */
    public static final int SOCKET_MAX_FRAME_BYTES = 1 << 20;

    public GatewayProperties {
        if (instanceIndex < 0) {
            throw new IllegalArgumentException("voxline.gateway.instance-index must be >= 0");
        }
        if (maxFrameBytes <= 0 || maxFrameBytes > SOCKET_MAX_FRAME_BYTES
                || maxJsonBytes <= 0 || maxJsonBytes > SOCKET_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("voxline.gateway frame limits must be in (0, " + SOCKET_MAX_FRAME_BYTES
                    + "]");
        }
        if (outboundQueueFrames <= 0) {
            throw new IllegalArgumentException("voxline.gateway.outbound-queue-frames must be > 0");
        }
    }
}

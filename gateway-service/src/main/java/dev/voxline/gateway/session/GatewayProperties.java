package dev.voxline.gateway.session;

import dev.voxline.contracts.audio.Pcm;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Gateway settings ({@code voxline.gateway.*}); docs/protocol.md §9 documents the client-visible limits.
 *
 * @param instanceIndex       this instance's index: it owns voice.downlink partitions [n·i, n·i+n); a number, or a
 *                            name ending in one such as a StatefulSet pod's name ({@link InstanceIndex})
 * @param maxFrameBytes       largest binary (audio) frame accepted from a client
 * @param maxTextChars        longest {@code text.input} text
 * @param maxJsonBytes        largest JSON text frame accepted from a client
 * @param allowTestSettings   honour {@code simulation} in {@code session.start} (tests and benchmarks only)
 * @param playbackLead        how far reply audio may be sent ahead of the caller's playback
 * @param outboundQueueFrames frames queued for a socket before the client counts as a slow consumer
 * @param turnOrderTimeout    how long an event waits for its predecessor before it is released anyway
 * @param uplinkRecordMs      caller audio per voice.audio.in record while the instance is not busy, a multiple of
 *                            20 ms: longer records cost Kafka less per session, and delay the end of speech by up
 *                            to this minus 20 ms (10 ms on average for 40 ms records, 20 for 60)
 * @param busyUplinkRecordMs  caller audio per record while this instance holds {@code busySessions} or more: under
 *                            load the records' cost, not their wait, is what makes turns late
 * @param busySessions        from how many sessions on this instance it counts as busy
 * @param echoGate            silence caller audio that is only the agent's own reply coming back (a speakerphone
 *                            without echo cancellation), so it cannot interrupt the agent; a session may override
 *                            it with {@code turnTaking.echoGate}
 * @param allowedOrigins      the browser origins ({@code Origin} header) a WebSocket is accepted from, as
 *                            {@code AllowedOrigins} reads them: {@code *} for a host label or the port, {@code *}
 *                            alone for any origin; by default loopback pages only. A client that sends no
 *                            {@code Origin} (not a browser) is always accepted
 */
@ConfigurationProperties("voxline.gateway")
public record GatewayProperties(
        @DefaultValue("0") InstanceIndex instanceIndex,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("2000") int maxTextChars,
        @DefaultValue("16384") int maxJsonBytes,
        @DefaultValue("false") boolean allowTestSettings,
        @DefaultValue("200ms") Duration playbackLead,
        @DefaultValue("1000") int outboundQueueFrames,
        @DefaultValue("2s") Duration turnOrderTimeout,
        @DefaultValue("20") int uplinkRecordMs,
        @DefaultValue("60") int busyUplinkRecordMs,
        @DefaultValue("10") int busySessions,
        @DefaultValue("true") boolean echoGate,
        @DefaultValue({"http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://localhost:*",
                "https://127.0.0.1:*", "https://[::1]:*"}) List<String> allowedOrigins) {

    /**
     * Reactor Netty's own limit on one WebSocket message. It sits well above {@link #maxFrameBytes} so an oversize
     * frame reaches the application and gets a clear {@code frame_too_large} instead of a protocol close (1009).
     */
    public static final int SOCKET_MAX_FRAME_BYTES = 1 << 20;

    /** The longest uplink record: beyond this the end of speech waits too long for its record. */
    public static final int MAX_UPLINK_RECORD_MS = 200;

    public GatewayProperties {
        Objects.requireNonNull(instanceIndex, "instanceIndex");
        if (maxFrameBytes <= 0 || maxFrameBytes > SOCKET_MAX_FRAME_BYTES
                || maxJsonBytes <= 0 || maxJsonBytes > SOCKET_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("voxline.gateway frame limits must be in (0, " + SOCKET_MAX_FRAME_BYTES
                    + "]");
        }
        checkRecordMs("uplink-record-ms", uplinkRecordMs);
        checkRecordMs("busy-uplink-record-ms", busyUplinkRecordMs);
        if (outboundQueueFrames <= 0) {
            throw new IllegalArgumentException("voxline.gateway.outbound-queue-frames must be > 0");
        }
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    private static void checkRecordMs(String name, int ms) {
        if (ms < Pcm.FRAME_MS || ms > MAX_UPLINK_RECORD_MS || ms % Pcm.FRAME_MS != 0) {
            throw new IllegalArgumentException("voxline.gateway." + name + " must be a multiple of " + Pcm.FRAME_MS
                    + " from " + Pcm.FRAME_MS + " to " + MAX_UPLINK_RECORD_MS + ", not " + ms);
        }
    }

    /** Pipeline frames in one voice.audio.in record while this instance holds {@code activeSessions}. */
    public int uplinkFramesPerRecord(int activeSessions) {
        return (activeSessions >= busySessions ? busyUplinkRecordMs : uplinkRecordMs) / Pcm.FRAME_MS;
    }

    /** The most frames a record can have. */
    public int maxUplinkFramesPerRecord() {
        return Math.max(uplinkRecordMs, busyUplinkRecordMs) / Pcm.FRAME_MS;
    }
}

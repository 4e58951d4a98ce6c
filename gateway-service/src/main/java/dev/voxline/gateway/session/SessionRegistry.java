package dev.voxline.gateway.session;

import dev.voxline.contracts.Ids;
import dev.voxline.gateway.downlink.DownlinkPartitions;
import dev.voxline.gateway.downlink.PacingClock;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * The sessions this gateway instance holds, and the routing of downlink records to them by key. A record for a
 * session this instance does not hold (it ended, or a stage mis-routed it) is dropped and counted.
 */
public final class SessionRegistry {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final GatewayProperties properties;
    private final DownlinkPartitions partitions;
    private final VoiceTransport transport;
    private final LongSupplier clockMs;
    /** One pacing clock for every session of this gateway instance. */
    private final PacingClock pacing;
    private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Counter unknownSession;
    private final VoiceTracing tracing;

    public SessionRegistry(GatewayProperties properties, DownlinkPartitions partitions, VoiceTransport transport,
                           MeterRegistry meters, LongSupplier clockMs, Scheduler scheduler, VoiceTracing tracing) {
        this.tracing = tracing;
        this.properties = properties;
        this.partitions = partitions;
        this.transport = transport;
        this.clockMs = clockMs;
        this.pacing = new PacingClock(scheduler);
        Gauge.builder("voice.sessions.active", sessions, Map::size)
                .description("WebSocket sessions held by this gateway instance").register(meters);
        this.unknownSession = Counter.builder("voice.gateway.downlink.unknown.session")
                .description("voice.downlink records for sessions this gateway instance does not hold")
                .register(meters);
    }

    /** A new connection: a new session on one of this instance's downlink partitions. */
    public GatewaySession open() {
        GatewaySession session = new GatewaySession(Ids.sessionId(), partitions.nextForSession(), properties,
                transport, clockMs, pacing, WallClock::micros, sessions::size, tracing);
        sessions.put(session.id(), session);
        return session;
    }

    public void close(GatewaySession session) {
        session.onSocketClosed();
        sessions.remove(session.id());
    }

    /** Routes a voice.downlink record to its session (poll thread). */
    public void onDownlink(VoiceRecord record) {
        GatewaySession session = record.sessionId() != null ? sessions.get(record.sessionId()) : null;
        if (session == null) {
            unknownSession.increment();
            log.debug("downlink record {}@{} for session {} that this instance does not hold: dropped",
                    record.partition(), record.offset(), record.sessionId());
            return;
        }
        session.onDownlink(record);
    }

    public GatewaySession session(String sessionId) {
        return sessions.get(sessionId);
    }

    public int activeSessions() {
        return sessions.size();
    }

    public long downlinkUnknownSessionRecords() {
        return (long) unknownSession.count();
    }

    public List<Integer> ownedPartitions() {
        return partitions.owned();
    }
}

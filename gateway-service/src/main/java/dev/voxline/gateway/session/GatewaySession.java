package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.downlink.DownlinkSequencer;
import dev.voxline.gateway.downlink.OutboundQueue;
import dev.voxline.gateway.downlink.PacingClock;
import dev.voxline.gateway.downlink.PacingTicker;
import dev.voxline.gateway.echo.EchoSuppressor;
import dev.voxline.gateway.turn.TurnClock;
import dev.voxline.gateway.uplink.Uplink;
import dev.voxline.kafka.LogContext;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's connection, and the coordinator of its parts: whether and how it starts ({@link SessionStartPolicy}),
 * its audio on its way to voice.audio.in ({@link Uplink}), everything on its way back ({@link DownlinkSequencer}
 * into the {@link OutboundQueue}, paced by the {@link PacingTicker}), its turns' clock ({@link TurnClock}), typed
 * input ({@link TypedTurns}), and its end.
 *
 * <p>Three threads touch a session — the socket's event loop (client frames), the downlink poll thread and the
 * pacing ticker — so every entry point is {@code synchronized}; each does a bounded amount of in-memory work and
 * never blocks on I/O (Kafka sends are asynchronous, socket writes go through the queue). A failure while handling
 * one message becomes an {@code error} event and the session goes on.
 */
public final class GatewaySession {

    private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

    private final String id;
    private final SessionRoute route;
    private final GatewayProperties properties;
    private final VoiceTransport transport;
    private final LongSupplier clockMs;
    /** Wall-clock epoch µs, for the turn clock's instants. */
    private final LongSupplier clockMicros;
    /** How many sessions this gateway instance holds: how big the uplink records are depends on it. */
    private final IntSupplier activeSessions;
    private final VoiceTracing tracing;
    private final OutboundQueue outbound;
    private final InputLimits limits;
    private final MessageRules rules;
    private final SessionStartPolicy startPolicy;
    private final PacingTicker ticker;
    private final JsonCodec codec = JsonCodec.get();

    /** Set when the session starts, with the parts that need its configuration. */
    private SessionConfig config;
    private Uplink uplink;
    private TurnClock turns;
    private DownlinkSequencer downlink;
    private TypedTurns typed;
    private boolean ended;

    /** {@code tracing}: where typed turns' traces start and every reply's {@code gateway.playback} span goes. */
    public GatewaySession(String id, int downlinkPartition, GatewayProperties properties, VoiceTransport transport,
                          LongSupplier clockMs, PacingClock pacing, LongSupplier clockMicros,
                          IntSupplier activeSessions, VoiceTracing tracing) {
        this.id = id;
        this.route = new SessionRoute(id, downlinkPartition, null);
        this.properties = properties;
        this.transport = transport;
        this.clockMs = clockMs;
        this.clockMicros = clockMicros;
        this.activeSessions = activeSessions;
        this.tracing = tracing;
        this.outbound = new OutboundQueue(properties.outboundQueueFrames(), this::onSlowConsumer);
        this.limits = new InputLimits(properties);
        this.rules = new MessageRules(properties.maxTextChars());
        this.startPolicy = new SessionStartPolicy(properties.allowTestSettings(), rules);
        this.ticker = new PacingTicker(pacing, this::tick);
    }

    public String id() {
        return id;
    }

    public int downlinkPartition() {
        return route.downlinkPartition();
    }

    public OutboundQueue outbound() {
        return outbound;
    }

    // ---- from the client

    /** A text frame; {@code utf8Bytes} is its size on the wire. */
    public synchronized void onText(String json, int utf8Bytes) {
        if (ended) {
            return;
        }
        try {
            if (refused(limits.textFrame(utf8Bytes))) {
                return;
            }
            ClientMessage message;
            try {
                message = codec.decodeClientMessage(json);
            } catch (JsonCodec.CodecException e) {
                error(ClientError.of(e.code(), e.getMessage()));
                return;
            }
            onMessage(message);
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** A binary frame: caller audio at the session's input rate; {@code arrivalMicros} is when it arrived. */
    public synchronized void onBinary(byte[] pcm, long arrivalMicros) {
        if (ended) {
            return;
        }
        try {
            if (refused(limits.audioFrame(pcm.length)) || pcm.length == 0) {
                return;
            }
            ensureStarted();
            uplink.accept(pcm, arrivalMicros, downlink.agentSpeaking(clockMs.getAsLong()));
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** The socket closed (by the client, or after the session ended). Idempotent. */
    public synchronized void onSocketClosed() {
        if (!ended) {
            end("socket closed");
            log.info("session {} closed by the client", id);
        }
        close();
    }

    private void onMessage(ClientMessage message) {
        if (message instanceof ClientMessage.SessionStart start) {
            SessionStartPolicy.Decision decision = startPolicy.decide(start, config != null);
            decision.errors().forEach(this::error);
            if (decision.starts()) {
                start(decision.config(), start.syntheticCaller());
            }
        } else if (!refused(rules.check(message))) {
            onValidMessage(message);
        }
    }

    /** A message other than {@code session.start} whose fields passed {@link MessageRules}. */
    private void onValidMessage(ClientMessage message) {
        if (message instanceof ClientMessage.TextInput text) {
            onTextInput(text.text());
        } else if (message instanceof ClientMessage.Interrupt interrupt && downlink != null) {
            downlink.stopAgent(interrupt.turnId(), "client", "client sent interrupt", null, clockMicros.getAsLong(),
                    VoiceEvent.InterruptionMetrics.CLIENT, clockMs.getAsLong());
            scheduleTicks();
        } else if (message instanceof ClientMessage.PlaybackPosition position && downlink != null) {
            downlink.onPlaybackPosition(position.turnId(), position.playedMs());
        } else if (message instanceof ClientMessage.SessionEnd end) {
            String reason = end.reason() != null ? end.reason() : "client";
            end(reason);
            send(new VoiceEvent.SessionEnded(id, reason));
            close();
            log.info("session {} ended by the client ({})", id, reason);
        }
        // client.latency: nothing reads the client's own measurement yet.
    }

    private void onTextInput(String text) {
        long receivedUs = clockMicros.getAsLong();
        ensureStarted();
        typed.accept(text, receivedUs, clockMs.getAsLong());
        scheduleTicks();
    }

    private void ensureStarted() {
        if (config == null) {
            start(startPolicy.implicitStart(), false);
        }
    }

    private void start(SessionConfig resolved, boolean synthetic) {
        config = resolved;
        EchoSuppressor echo = EchoSuppressor.forSession(id, properties.echoGate(), resolved.turnTaking());
        uplink = new Uplink(route, transport, resolved.inputSampleRate(),
                () -> properties.uplinkFramesPerRecord(activeSessions.getAsInt()),
                properties.maxUplinkFramesPerRecord(), echo);
        turns = new TurnClock(route, transport, tracing, resolved.outputSampleRate(), synthetic);
        AudioFormat output = AudioFormat.pcm16(resolved.outputSampleRate());
        downlink = new DownlinkSequencer(route, output, properties.playbackLead(), properties.turnOrderTimeout(),
                transport, outbound, turns, echo, uplink::arrivalMicros, clockMicros);
        typed = new TypedTurns(route, transport, turns, downlink);
        VoiceEvent.SessionStarted started = new VoiceEvent.SessionStarted(id,
                AudioFormat.pcm16(resolved.inputSampleRate()), output, resolved);
        transport.publish(Topics.CONTROL, route, started);
        send(started);
        log.info("session {} started on downlink partition {}: input {} Hz, output {} Hz, vad {}{}", id,
                route.downlinkPartition(), resolved.inputSampleRate(), resolved.outputSampleRate(),
                resolved.vadProfile(), synthetic ? " (synthetic)" : "");
    }

    // ---- from the pipeline

    /** A voice.downlink record for this session (poll thread). */
    public synchronized void onDownlink(VoiceRecord record) {
        if (ended || downlink == null) {
            return;
        }
        tracing.hop(record);
        try (LogContext ignored = LogContext.of(record)) {
            downlink.onRecord(record, clockMs.getAsLong());
        }
        scheduleTicks();
    }

    /** Runs the downlink's pacing clock while it has time-dependent work; stops as soon as it has none. */
    private void scheduleTicks() {
        if (!ended && downlink != null && downlink.needsTick()) {
            ticker.start();
        }
    }

    synchronized void tick() {
        try {
            if (!ended && downlink != null) {
                downlink.tick(clockMs.getAsLong());
            }
        } catch (RuntimeException e) {
            log.error("session {}: pacing failed", id, e);
        }
        if (ended || downlink == null || !downlink.needsTick()) {
            ticker.stop();
        }
    }

    // ---- the end, and to the client

    /** The session is over: the stages are told (if it ever started) and pacing stops. */
    private void end(String reason) {
        ended = true;
        if (config != null) {
            transport.publish(Topics.CONTROL, route, new VoiceEvent.SessionEnded(id, reason));
        }
        ticker.stop();
    }

    /** Nothing more for the client: the socket closes once the queued frames are written; open spans end. */
    private void close() {
        outbound.complete();
        ticker.stop();
        if (turns != null) {
            turns.endAll("session ended");
        }
    }

    /** The client stopped reading and its queue filled up (called from {@link OutboundQueue#offer}). */
    private void onSlowConsumer() {
        log.warn("session {}: client is not reading; outbound queue of {} frames is full — closing the session",
                id, properties.outboundQueueFrames());
        if (!ended) {
            end(ErrorCodes.SLOW_CONSUMER);
        }
        ticker.stop();
    }

    /** The {@code error} event sent (best effort) to a slow consumer just before its socket is closed. */
    public String slowConsumerError() {
        return codec.encodeToString(new VoiceEvent.Error(id, null, ErrorCodes.SLOW_CONSUMER,
                "the client did not read fast enough; its outbound queue of " + properties.outboundQueueFrames()
                        + " frames was full"));
    }

    private void send(VoiceEvent event) {
        outbound.offer(codec.encodeToString(event));
    }

    /** Tells the client {@code error} when there is one; true when there was. */
    private boolean refused(ClientError error) {
        if (error != null) {
            error(error);
        }
        return error != null;
    }

    private void error(ClientError error) {
        log.info("session {}: {} — {}", id, error.code(), error.message());
        send(new VoiceEvent.Error(id, error.turnId(), error.code(), error.message()));
    }

    private void internalError(RuntimeException e) {
        log.error("session {}: failed to handle a client message", id, e);
        error(ClientError.of(ErrorCodes.INTERNAL, "the gateway failed to handle the message"));
    }

    // ---- for tests

    public synchronized long frameArrivalMicros(long seq) {
        return uplink != null ? uplink.arrivalMicros(seq) : -1;
    }

    public synchronized boolean started() {
        return config != null;
    }
}

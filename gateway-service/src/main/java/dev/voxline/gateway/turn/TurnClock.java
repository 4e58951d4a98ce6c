package dev.voxline.gateway.turn;

import dev.voxline.contracts.Bounded;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.TurnSpans;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import io.micrometer.tracing.Span;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turn clock of one session's recent turns, and the {@code metrics.turn} it publishes on voice.metrics when a
 * turn's audio ends. A voice turn's end of speech is its last {@code speech.ended} (or, without one, the arrival of
 * the last voiced frame); a typed turn's is when {@code text.input} arrived; the agent's own turn
 * ({@code agent.turn}, an idle prompt) is clocked like a typed one, from the agent's decision. The first reply audio
 * frame leaving the outbound queue into the socket is the turn's first audio; {@code e2eMs} is the time between.
 *
 * <p>Every reply is a {@code gateway.playback} span, and a typed turn's {@code voice.turn} root span starts here.
 * Thread-safe: the session calls it under its lock, and the socket's thread when a tracked frame leaves the queue.
 */
public final class TurnClock {

    private static final Logger log = LoggerFactory.getLogger(TurnClock.class);
    private static final int REMEMBERED_TURNS = 64;

    private final String sessionId;
    private final SessionRoute route;
    private final VoiceTransport transport;
    private final VoiceTracing tracing;
    private final int outputSampleRate;
    /** The session is a program's (a warm-up, a probe): its turn metrics say so. */
    private final boolean synthetic;
    /** Typed turns start here, so their {@code voice.turn} root spans are this session's to end. */
    private final TurnSpans typedTurns;
    /** Recent turns, oldest first. */
    private final Map<String, Turn> turns = Bounded.newestEntries(REMEMBERED_TURNS);

    public TurnClock(SessionRoute route, VoiceTransport transport, VoiceTracing tracing, int outputSampleRate,
                     boolean synthetic) {
        this.sessionId = route.sessionId();
        this.route = route;
        this.transport = transport;
        this.tracing = tracing;
        this.outputSampleRate = outputSampleRate;
        this.synthetic = synthetic;
        this.typedTurns = new TurnSpans(tracing, sessionId);
    }

    /** One turn's clock; wall-clock epoch µs, 0 when unknown. */
    private static final class Turn {
        boolean typed;
        long speechEndUs;
        boolean replyAudioSeen;
        double hopMs = -1;
        boolean firstAudioQueued;
        long firstAudioUs;
        long audioBytes;
        boolean reported;
        /** Counts the turn's answers: a first-frame callback of an earlier (superseded) answer is ignored. */
        int reply;
        /** {@code gateway.playback} of the current answer, and the route carrying its context. */
        Span playback = Span.NOOP;
        SessionRoute route;

        /** A newer generation answers the turn: its first audio, not the earlier answer's, ends the clock. */
        void restartReply() {
            playback.tag("voice.playback.outcome", "superseded");
            playback.end();
            playback = Span.NOOP;
            route = null;
            reply++;
            replyAudioSeen = false;
            hopMs = -1;
            firstAudioQueued = false;
            firstAudioUs = 0;
        }
    }

    /** The caller typed turn {@code turnId} at {@code receivedUs}; returns the route of its new trace. */
    public synchronized SessionRoute typedTurnStarted(String turnId, long receivedUs) {
        Turn turn = turn(turnId);
        turn.typed = true;
        turn.speechEndUs = receivedUs;
        return tracing.route(route, typedTurns.start(turnId, receivedUs));
    }

    /**
     * The caller paused in turn {@code turnId}: the clock starts at its LAST pause, since speech that resumed moved
     * the end of speech. {@code speechEndUs} (VAD's, 0 when unknown) wins over {@code lastVoicedArrivalUs}.
     */
    public synchronized void speechEnded(String turnId, long speechEndUs, long lastVoicedArrivalUs) {
        turn(turnId).speechEndUs = Math.max(0, speechEndUs > 0 ? speechEndUs : lastVoicedArrivalUs);
    }

    /** The agent starts a turn itself: no speech to end, the clock starts at its decision. */
    public synchronized void agentTurn(String turnId, long decidedUs) {
        Turn turn = turn(turnId);
        turn.typed = true;
        turn.speechEndUs = Math.max(0, decidedUs);
    }

    /** A reply audio record of the turn reached the gateway; its answer's first one starts the playback span. */
    public synchronized void replyAudioArrived(String turnId, VoiceRecord record) {
        Turn turn = turn(turnId);
        if (turn.replyAudioSeen) {
            return;
        }
        turn.replyAudioSeen = true;
        long hop = record.hopMicros();
        turn.hopMs = hop >= 0 ? hop / 1000.0 : -1;
        // From the reply's first audio record reaching the gateway to its last byte (or its clear) handed to the
        // socket, a child of the span that made the audio (tts.synthesize).
        turn.playback = tracing.startSpan("gateway.playback", record.header(VoxHeaders.TRACEPARENT), sessionId,
                turnId, record.polledMicros());
        turn.playback.tag("voice.generation_id", String.valueOf(record.header(VoxHeaders.GENERATION)));
        turn.route = tracing.route(route, turn.playback);
    }

    /** A newer generation answers the turn. */
    public synchronized void replyRestarted(String turnId) {
        turn(turnId).restartReply();
    }

    /**
     * A reply frame of {@code bytes} is queued for the socket. Returns what to run when it leaves the queue (the
     * epoch µs it left at) if it is its answer's first frame, null otherwise.
     */
    public synchronized LongConsumer audioQueued(String turnId, int bytes) {
        Turn turn = turn(turnId);
        turn.audioBytes += bytes;
        if (turn.firstAudioQueued) {
            return null;
        }
        turn.firstAudioQueued = true;
        int reply = turn.reply;
        return sentUs -> firstAudioSent(turnId, reply, sentUs);
    }

    private synchronized void firstAudioSent(String turnId, int reply, long sentUs) {
        Turn turn = turns.get(turnId);
        if (turn != null && turn.reply == reply && turn.firstAudioUs == 0) {
            turn.firstAudioUs = sentUs;
            turn.playback.event("first audio written", sentUs, TimeUnit.MICROSECONDS);
        }
    }

    /**
     * The turn's audio ended ({@code audio.done} / {@code audio.clear} left the queue, everything before it too, or
     * it had none): {@code metrics.turn}, once per turn. {@code playedMs}: what the caller heard when interrupted.
     */
    public synchronized void audioEnded(String turnId, boolean interrupted, long playedMs) {
        Turn turn = turn(turnId);
        if (turn.reported) {
            return;
        }
        turn.reported = true;
        long audioMs = turn.audioBytes * 1000 / (outputSampleRate * 2L);
        Double e2eMs = turn.firstAudioUs > 0 && turn.speechEndUs > 0
                ? (turn.firstAudioUs - turn.speechEndUs) / 1000.0 : null;
        VoiceEvent.GatewayTurnMetrics metrics = new VoiceEvent.GatewayTurnMetrics(sessionId, turnId, e2eMs,
                turn.speechEndUs, turn.firstAudioUs, turn.typed, interrupted, audioMs,
                interrupted ? playedMs : audioMs, turn.hopMs, synthetic);
        log.debug("session {} turn {}: e2e {} ms (interrupted {})", sessionId, turnId, e2eMs, interrupted);
        SessionRoute traced = turn.route != null ? turn.route : tracing.route(route, typedTurns.get(turnId));
        transport.publish(Topics.METRICS, traced, metrics);
        if (e2eMs != null) {
            turn.playback.tag("voice.e2e_ms", e2eMs);
        }
        turn.playback.tag("voice.playback.audio_ms", audioMs);
        turn.playback.tag("voice.playback.interrupted", interrupted);
        turn.playback.end();
        typedTurns.end(turnId, 0, interrupted ? "interrupted" : "played");
    }

    /** The session is over: every span it holds open ends. */
    public synchronized void endAll(String how) {
        typedTurns.endAll(how);
        for (Turn turn : turns.values()) {
            if (!turn.reported) {
                turn.playback.tag("voice.playback.outcome", how);
                turn.playback.end();
            }
        }
    }

    private Turn turn(String turnId) {
        return turns.computeIfAbsent(turnId, key -> new Turn());
    }
}

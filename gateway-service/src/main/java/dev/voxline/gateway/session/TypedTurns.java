package dev.voxline.gateway.session;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.downlink.DownlinkSequencer;
import dev.voxline.gateway.turn.TurnClock;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's typed text ({@code text.input}) as a turn of its own: its transcript goes to llm-service as if the
 * caller had said it, its clock starts when the text arrived, and — like speaking over the agent — it interrupts
 * the agent. Not thread-safe: the session serialises calls.
 */
final class TypedTurns {

    private static final Logger log = LoggerFactory.getLogger(TypedTurns.class);

    private final String id;
    private final SessionRoute route;
    private final VoiceTransport transport;
    private final TurnClock turns;
    private final DownlinkSequencer downlink;

    TypedTurns(SessionRoute route, VoiceTransport transport, TurnClock turns, DownlinkSequencer downlink) {
        this.id = route.sessionId();
        this.route = route;
        this.transport = transport;
        this.turns = turns;
        this.downlink = downlink;
    }

    /** {@code text} (checked already) arrived at {@code receivedUs}; returns the new turn's id. */
    String accept(String text, long receivedUs, long nowMs) {
        String turnId = Ids.turnId();
        SessionRoute traced = turns.typedTurnStarted(turnId, receivedUs);
        // Typing while the agent speaks (or prepares its reply) interrupts it, as speaking over it would.
        downlink.stopAgent(null, "typed", "the caller typed while the agent spoke", turnId, receivedUs,
                VoiceEvent.InterruptionMetrics.TYPED, nowMs);
        VoiceEvent.TranscriptFinal transcript = new VoiceEvent.TranscriptFinal(id, turnId, text, true, receivedUs);
        transport.publish(Topics.TRANSCRIPTS, traced, transcript);
        log.info("session {} turn {}: typed input", id, turnId);
        log.debug("session {} turn {}: typed \"{}\"", id, turnId, text);
        downlink.onGatewayEvent(transcript, nowMs);
        return turnId;
    }
}

package dev.voxline.kafka;

import io.micrometer.tracing.Span;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's open {@value VoiceTracing#TURN} root spans, kept by the service where its turns start until each turn
 * ends: its reply played out or was stopped ({@code playback.stopped}, an interrupt), the session ended, or — for a
 * turn that never got a reply, e.g. one a stage failed — {@link #MAX_TURN_MICROS} after it started. Several may be
 * open at once: the caller can start a turn while the previous reply still plays. Not thread-safe: callers hold
 * their session's lock.
 */
public final class TurnSpans {

    /** A turn with no end in sight after this long is ended as {@code timeout}. */
    public static final long MAX_TURN_MICROS = 120_000_000L;
    /** Turns kept open at most; the oldest is ended first. */
    private static final int MAX_OPEN = 32;

    private final VoiceTracing tracing;
    private final String sessionId;
    private final Map<String, Open> open = new LinkedHashMap<>();

    private record Open(Span span, long startedMicros) {
    }

    public TurnSpans(VoiceTracing tracing, String sessionId) {
        this.tracing = tracing;
        this.sessionId = sessionId;
    }

    /** Starts the turn's root span at {@code startMicros} (≤ 0: now) and keeps it open. */
    public Span start(String turnId, long startMicros) {
        long now = WallClock.micros();
        expire(now);
        if (open.size() >= MAX_OPEN) {
            String oldest = open.keySet().iterator().next();
            end(oldest, now, "evicted");
        }
        Span span = tracing.startTurn(sessionId, turnId, startMicros);
        open.put(turnId, new Open(span, startMicros > 0 ? startMicros : now));
        return span;
    }

    /** The turn's open root span, or null. */
    public Span get(String turnId) {
        Open turn = turnId == null ? null : open.get(turnId);
        return turn == null ? null : turn.span();
    }

    /** Ends the turn's root span (if open) at {@code endMicros} (≤ 0: now), saying how it ended. */
    public void end(String turnId, long endMicros, String how) {
        Open turn = turnId == null ? null : open.remove(turnId);
        if (turn != null) {
            turn.span().tag("voice.turn.end", how);
            VoiceTracing.end(turn.span(), endMicros);
        }
    }

    /** Ends every open turn (the session is over). */
    public void endAll(String how) {
        long now = WallClock.micros();
        for (String turnId : open.keySet().toArray(String[]::new)) {
            end(turnId, now, how);
        }
    }

    public int openCount() {
        return open.size();
    }

    private void expire(long nowMicros) {
        Iterator<Map.Entry<String, Open>> turns = open.entrySet().iterator();
        while (turns.hasNext()) {
            Open turn = turns.next().getValue();
            if (nowMicros - turn.startedMicros() > MAX_TURN_MICROS) {
                turns.remove();
                turn.span().tag("voice.turn.end", "timeout");
                turn.span().end();
            }
        }
    }
}

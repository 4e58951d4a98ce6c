package dev.voxline.gateway.echo;

import dev.voxline.contracts.event.SessionConfig;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's echo handling: it tells the {@link EchoGate} when each reply frame plays ({@link ReplyPlayhead})
 * and when each caller frame was captured ({@link CaptureClock}), and replaces a caller frame that is only the
 * agent's own voice by silence before it goes to voice.audio.in, so neither VAD (barge-in) nor STT hears it.
 * Silence rather than dropping keeps the frame numbering and the stream's timing intact for every stage.
 * Not thread-safe: the session serialises calls.
 */
public final class EchoSuppressor {

    private static final Logger log = LoggerFactory.getLogger(EchoSuppressor.class);

    private final String sessionId;
    private final EchoGate gate = new EchoGate();
    private final ReplyPlayhead playhead = new ReplyPlayhead();
    private final CaptureClock capture = new CaptureClock();
    private boolean reportedLocked;
    private long silencedFrames;

    public EchoSuppressor(String sessionId) {
        this.sessionId = sessionId;
    }

    /**
     * The suppressor for a session, or null when it is off: the session's {@code turnTaking.echoGate} wins, else
     * the server's {@code voxline.gateway.echo-gate}.
     */
    public static EchoSuppressor forSession(String sessionId, boolean serverDefault,
                                            SessionConfig.TurnTaking turnTaking) {
        Boolean requested = turnTaking != null ? turnTaking.echoGate() : null;
        return (requested != null ? requested : serverDefault) ? new EchoSuppressor(sessionId) : null;
    }

    /** A reply frame (PCM16LE at {@code sampleRate}) was handed to the socket's queue at {@code sentMicros}. */
    public void replySent(byte[] pcm, int sampleRate, long sentMicros) {
        gate.reply(pcm, pcm.length, sampleRate, playhead.next(sentMicros, pcm.length / 2, sampleRate));
    }

    /**
     * Caller frame {@code seq} (20 ms at 16 kHz) whose message arrived at {@code arrivalMicros}: zeroed in place
     * when it is echo. Returns whether it was.
     */
    public boolean silenceIfEcho(long seq, byte[] frame, long arrivalMicros) {
        boolean echo = gate.isEcho(frame, capture.startMicros(seq, arrivalMicros));
        if (echo) {
            Arrays.fill(frame, (byte) 0);
            silencedFrames++;
        }
        int delayMs = gate.delayMs();
        if ((delayMs >= 0) != reportedLocked) {
            // Once per change of state, not per frame: the path appearing or going away is what an operator needs.
            reportedLocked = delayMs >= 0;
            if (reportedLocked) {
                log.info("session {}: the agent's voice comes back from the caller after {} ms; gating it", sessionId,
                        delayMs);
            } else {
                log.info("session {}: the agent's voice no longer comes back from the caller", sessionId);
            }
        }
        return echo;
    }

    public long silencedFrames() {
        return silencedFrames;
    }

    /** The echo path delay found (ms), -1 while none. */
    public int delayMs() {
        return gate.delayMs();
    }
}

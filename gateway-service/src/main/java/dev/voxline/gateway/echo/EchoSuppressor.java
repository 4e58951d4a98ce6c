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
    /** The gate's lag window: reply audio can still come back this long after it played. */
    private static final long ECHO_TAIL_US = EchoGate.MAX_LAG_MS * 1_000L;

    private final String sessionId;
    private final EchoGate gate = new EchoGate();
    private final ReplyPlayhead playhead = new ReplyPlayhead();
    private final CaptureClock capture = new CaptureClock();
    private boolean reportedLocked;
    private long silencedFrames;
    /** Caller frames heard while reply audio (or its echo tail) could be in them, and how many were silenced. */
    private int stretchFrames;
    private int stretchSilenced;
    private long audibleUntilMicros = Long.MIN_VALUE;

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
        long playMicros = playhead.next(sentMicros, pcm.length / 2, sampleRate);
        gate.reply(pcm, pcm.length, sampleRate, playMicros);
        audibleUntilMicros = playMicros + (long) pcm.length / 2 * 1_000_000 / sampleRate + ECHO_TAIL_US;
    }

    /** The client was told to drop its unplayed reply audio ({@code audio.paused} or {@code audio.clear}). */
    public void replyDropped(long nowMicros) {
        playhead.dropped(nowMicros);
    }

    /**
     * Caller frame {@code seq} (20 ms at 16 kHz) whose message arrived at {@code arrivalMicros}: zeroed in place
     * when it is echo. Returns whether it was.
     */
    public boolean silenceIfEcho(long seq, byte[] frame, long arrivalMicros) {
        long startMicros = capture.startMicros(seq, arrivalMicros);
        boolean echo = gate.isEcho(frame, startMicros);
        if (echo) {
            Arrays.fill(frame, (byte) 0);
            silencedFrames++;
        }
        if (startMicros <= audibleUntilMicros) {
            stretchFrames++;
            stretchSilenced += echo ? 1 : 0;
        } else if (stretchFrames > 0) {
            // Once per stretch of reply audio: what the gate did while the agent could be heard.
            log.debug("session {}: {} of {} caller frames silenced over the reply, echo delay {} ms", sessionId,
                    stretchSilenced, stretchFrames, gate.delayMs());
            stretchFrames = 0;
            stretchSilenced = 0;
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

    /** The learnt echo return loss (dB) of band 0 (low), 1 (mid) or 2 (high). */
    public double erlDb(int band) {
        return gate.erlDb(band);
    }

    /** The echo path delay found (ms), -1 while none. */
    public int delayMs() {
        return gate.delayMs();
    }
}

package dev.voxline.kafka;

import dev.voxline.contracts.VoxHeaders;
import org.slf4j.MDC;

/**
 * The log context of the work at hand: {@code sessionId}, {@code turnId} and {@code traceId} in the SLF4J MDC, so
 * every log line written while a record is handled names them as fields (logging patterns and JSON encoders read
 * them as {@code %X{traceId}} …), not only in its message. Closing restores what was there before.
 */
public final class LogContext implements AutoCloseable {

    public static final String SESSION_ID = "sessionId";
    public static final String TURN_ID = "turnId";
    public static final String TRACE_ID = "traceId";

    private final String previousSession;
    private final String previousTurn;
    private final String previousTrace;

    private LogContext(String sessionId, String turnId, String traceId) {
        previousSession = MDC.get(SESSION_ID);
        previousTurn = MDC.get(TURN_ID);
        previousTrace = MDC.get(TRACE_ID);
        set(SESSION_ID, sessionId);
        set(TURN_ID, turnId);
        set(TRACE_ID, traceId);
    }

    /** The context of a record: its session key, {@code vox-turn} and the trace id of its {@code traceparent}. */
    public static LogContext of(VoiceRecord record) {
        return new LogContext(record.sessionId(), record.header(VoxHeaders.TURN),
                VoiceTracing.traceId(record.header(VoxHeaders.TRACEPARENT)));
    }

    public static LogContext of(String sessionId, String turnId, String traceId) {
        return new LogContext(sessionId, turnId, traceId);
    }

    @Override
    public void close() {
        set(SESSION_ID, previousSession);
        set(TURN_ID, previousTurn);
        set(TRACE_ID, previousTrace);
    }

    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}

package dev.voxline.metrics.ingest;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.metrics.report.TurnReportAssembler;
import dev.voxline.metrics.report.TurnReporter;
import dev.voxline.metrics.summary.EventTally;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * The voice.metrics consumer (Spring Cloud Stream function {@code metricsIngest}): counts every record by type and
 * hands the turn metric events, with their record's {@code vox-downlink} partition, to the {@link TurnReporter}.
 * It never throws: a record it cannot read is counted and logged, never retried, so one bad producer cannot stall a
 * partition.
 */
public final class MetricsIngest implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(MetricsIngest.class);

    private final JsonCodec codec = JsonCodec.get();
    private final EventTally tally;
    private final TurnReporter turns;
    private final AtomicLong rejected = new AtomicLong();
    private final InterruptionCounters interruptions;

    public MetricsIngest(EventTally tally, TurnReporter turns) {
        this(tally, turns, null);
    }

    /** {@code interruptions}: where {@code metrics.interruption} events are counted (null: nowhere). */
    public MetricsIngest(EventTally tally, TurnReporter turns, InterruptionCounters interruptions) {
        this.tally = tally;
        this.turns = turns;
        this.interruptions = interruptions;
    }

    @Override
    public void accept(Message<byte[]> message) {
        byte[] payload = message.getPayload();
        try {
            VoiceEvent event = codec.decodeEvent(payload);
            tally.count(JsonCodec.typeName(event));
            if (log.isTraceEnabled()) {
                log.trace("ingested {} session={} turn={}", JsonCodec.typeName(event), event.sessionId(),
                        event.turnId());
            }
            if (TurnReportAssembler.isTurnMetric(event)) {
                report(event, message);
            } else if (event instanceof VoiceEvent.InterruptionMetrics interruption && interruptions != null) {
                interruptions.observe(interruption);
            }
        } catch (JsonCodec.CodecException e) {
            reject(ErrorCodes.UNKNOWN_TYPE.equals(e.code()) ? EventTally.UNKNOWN : EventTally.INVALID,
                    e.getMessage(), message);
        } catch (RuntimeException e) {
            reject(EventTally.INVALID, e.toString(), message);
        }
    }

    private void report(VoiceEvent event, Message<byte[]> message) {
        try {
            turns.onMetric(event, downlinkPartition(message), header(message, VoxHeaders.TRACEPARENT));
        } catch (RuntimeException e) { // counted already; the report of this turn may lack it, the ingest goes on
            log.warn("turn report failed for {} session={} turn={}: {}", JsonCodec.typeName(event),
                    event.sessionId(), event.turnId(), e.toString(), e);
        }
    }

    /**
     * The {@code vox-downlink} header: raw UTF-8 bytes from the plain transport (the binder maps headers it has no
     * type information for as {@code byte[]}), a String or number from elsewhere; -1 if absent or unreadable.
     */
    static int downlinkPartition(Message<?> message) {
        Object value = message.getHeaders().get(VoxHeaders.DOWNLINK);
        if (value instanceof Number number) {
            return number.intValue();
        }
        String text = header(message, VoxHeaders.DOWNLINK);
        if (text == null) {
            return -1;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A header as text: raw UTF-8 bytes from the plain transport, or whatever else the binder made of it. */
    static String header(Message<?> message, String name) {
        Object value = message.getHeaders().get(name);
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : value == null ? null : value.toString();
    }

    private void reject(String kind, String reason, Message<byte[]> message) {
        tally.count(kind);
        long count = rejected.incrementAndGet();
        if (Long.bitCount(count) == 1) { // the 1st, 2nd, 4th, 8th … so a flood cannot flood the log
            log.warn("skipped {} record on voice.metrics ({} skipped so far) session={}: {}", kind, count,
                    sessionId(message), reason);
        }
    }

    private static String sessionId(Message<?> message) {
        Object key = message.getHeaders().get(KafkaHeaders.RECEIVED_KEY);
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return key == null ? "-" : key.toString();
    }
}

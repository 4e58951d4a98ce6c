package dev.voxline.kafka;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.Map;

/**
 * A record as a stage sees it: the session key, string headers, the raw value, and two clocks — when the producer
 * sent it ({@link VoxHeaders#SENT_US}) and when this consumer's poll returned it. Their difference is the hop's
 * transport delay.
 */
public record VoiceRecord(String topic, int partition, long offset, String sessionId, Map<String, String> headers,
                          byte[] value, long polledMicros) {

    public String header(String name) {
        return headers.get(name);
    }

    public long longHeader(String name, long fallback) {
        String value = headers.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A null value: the key's tombstone on a compacted topic. */
    public boolean isTombstone() {
        return value == null;
    }

    public String type() {
        return headers.get(VoxHeaders.TYPE);
    }

    public boolean isAudio() {
        return VoxHeaders.AUDIO_TYPE.equals(type());
    }

    /** Decodes the value as an event; throws {@link JsonCodec.CodecException} for a poison record. */
    public VoiceEvent event() {
        return JsonCodec.get().decodeEvent(value);
    }

    public long sentMicros() {
        return longHeader(VoxHeaders.SENT_US, -1);
    }

    /** Poll time minus send time, or -1 when the producer set no send time. */
    public long hopMicros() {
        long sent = sentMicros();
        return sent < 0 ? -1 : polledMicros - sent;
    }

    public SessionRoute route() {
        return new SessionRoute(sessionId, (int) longHeader(VoxHeaders.DOWNLINK, -1), header(VoxHeaders.TRACEPARENT));
    }
}

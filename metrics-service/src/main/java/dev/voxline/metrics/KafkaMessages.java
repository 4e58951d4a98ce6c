package dev.voxline.metrics;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.event.VoiceEvent;
import java.nio.charset.StandardCharsets;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/** What metrics-service sends through Spring Cloud Stream (voice.turns, voice.alerts): an event as JSON, keyed. */
public final class KafkaMessages {

    private KafkaMessages() {
    }

    /** {@code event} as JSON with the record key {@code key} (UTF-8). */
    public static Message<byte[]> json(VoiceEvent event, String key) {
        return MessageBuilder.withPayload(JsonCodec.get().encode(event))
                .setHeader(KafkaHeaders.KEY, key.getBytes(StandardCharsets.UTF_8))
                .setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE)
                .build();
    }
}

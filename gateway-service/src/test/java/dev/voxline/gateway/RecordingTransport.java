package dev.voxline.gateway;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceTransport;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link VoiceTransport} without a broker: it records what the gateway publishes. */
public final class RecordingTransport implements VoiceTransport {

    public record Published(String topic, SessionRoute route, VoiceEvent event, byte[] pcm,
                            Map<String, String> headers) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String topic, SessionRoute route, VoiceEvent event) {
        published.add(new Published(topic, route, event, null, Map.of()));
    }

    @Override
    public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        published.add(new Published(topic, route, null, pcm.clone(), Map.copyOf(headers)));
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
        throw new UnsupportedOperationException("the gateway consumes no group topics");
    }

    @Override
    public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler) {
        throw new UnsupportedOperationException("the downlink reader is disabled in this slice");
    }

    /** What was published on {@code topic}, in order. */
    public List<Published> on(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    public List<Published> of(String sessionId, String topic) {
        return published.stream()
                .filter(p -> p.route().sessionId().equals(sessionId) && p.topic().equals(topic))
                .toList();
    }
}

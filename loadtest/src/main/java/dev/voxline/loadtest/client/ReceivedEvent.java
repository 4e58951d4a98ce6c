package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.VoiceEvent;

/** A server event as the client received it: {@code nanos} on the client's monotonic clock. */
public record ReceivedEvent(VoiceEvent event, long nanos) {
}

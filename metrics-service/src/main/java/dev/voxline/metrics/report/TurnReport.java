package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;

/**
 * A finished turn: its report and where the session's client is ({@code route.downlinkPartition()} is -1 when no
 * metric record of the turn named one).
 *
 * @param typed true for a {@code text.input} turn, whose eou_delay and transcription_delay are 0 by definition
 */
public record TurnReport(VoiceEvent.TurnMetrics metrics, SessionRoute route, boolean typed) {
}

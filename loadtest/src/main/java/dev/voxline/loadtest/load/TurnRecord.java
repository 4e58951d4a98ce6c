package dev.voxline.loadtest.load;

import dev.voxline.contracts.event.VoiceEvent;

/**
 * One turn of a simulated caller as the load generator measured it.
 *
 * @param session     the caller's index
 * @param endNanos    when the turn was recorded (client monotonic clock): it belongs to the window holding this
 * @param clientE2eMs last speech frame sent → first reply audio frame received; null without reply audio
 * @param metrics     the server's {@code turn.metrics}, null if they did not come
 * @param underruns   times the modelled real-time playback of the reply ran dry
 * @param gapMs       the silence those underruns put into the reply
 * @param replyMs     the reply's audio duration
 * @param replied     reply audio came
 * @param errors      server errors of the turn (each also an {@link LoadRecorder.Incident})
 */
public record TurnRecord(int session, long endNanos, Double clientE2eMs, VoiceEvent.TurnMetrics metrics,
                         int underruns, double gapMs, double replyMs, boolean replied, int errors) {
}

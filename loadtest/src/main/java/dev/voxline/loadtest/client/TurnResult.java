package dev.voxline.loadtest.client;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.List;

/**
 * One turn as the client saw it.
 *
 * @param transcript    the final transcript(s) of the turn, joined (the echo for typed input)
 * @param replyText     the reply text (reply.done's, or the streamed deltas if reply.done never came)
 * @param clientE2eMs   the client's end-to-end latency: from sending the end of speech (the audio position of the
 *                      turn's last {@code speech.ended}), or {@code text.input}, to receiving the first reply audio
 *                      frame; null when there was no reply audio
 * @param metrics       the server's {@code turn.metrics}, null if it did not arrive
 * @param replyAudio    the reply audio, PCM16LE mono at {@code replySampleRate}
 * @param audioDone     {@code audio.done} arrived (all reply audio was sent)
 * @param interrupted   {@code audio.clear} arrived
 * @param errors        the server's {@code error} events for this turn
 * @param finished      the turn ended (audio done or cleared, or failed without audio) before the run did
 */
public record TurnResult(String turnId, boolean typed, String transcript, String replyText, Double clientE2eMs,
                         VoiceEvent.TurnMetrics metrics, byte[] replyAudio, int replySampleRate, boolean audioDone,
                         boolean interrupted, List<VoiceEvent.Error> errors, boolean finished) {

    public long replyAudioMs() {
        return replySampleRate > 0 ? Pcm.durationMs(replyAudio.length, replySampleRate) : 0;
    }
}

package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.VoiceEvent;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * What one {@link TalkRequest} produced: its turns in the order they started, session-level errors, and
 * {@code problem} when the run could not finish (timeout, no speech heard, connection lost), else null.
 */
public record TalkResult(String sessionId, List<TurnResult> turns, List<VoiceEvent.Error> sessionErrors,
                         String problem) {

    /** At least one turn, every turn finished, no problem and no server error. */
    public boolean ok() {
        return problem == null && sessionErrors.isEmpty() && !turns.isEmpty()
                && turns.stream().allMatch(t -> t.finished() && t.errors().isEmpty());
    }

    /** Every server error of the run, session-level first. */
    public List<VoiceEvent.Error> errors() {
        List<VoiceEvent.Error> all = new java.util.ArrayList<>(sessionErrors);
        turns.forEach(t -> all.addAll(t.errors()));
        return all;
    }

    /** The reply audio of all turns, one after another. */
    public byte[] replyAudio() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        turns.forEach(t -> out.writeBytes(t.replyAudio()));
        return out.toByteArray();
    }

    /** The reply audio's sample rate (the session's output rate), 0 if there was no audio. */
    public int replySampleRate() {
        return turns.stream().mapToInt(TurnResult::replySampleRate).filter(r -> r > 0).findFirst().orElse(0);
    }
}

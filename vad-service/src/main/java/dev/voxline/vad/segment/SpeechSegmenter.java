package dev.voxline.vad.segment;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.vad.engine.AudioFrame;
import java.util.ArrayDeque;

/**
 * Cuts a session's scored 20 ms frames into speech segments. Speech is confirmed once a candidate — starting at
 * its first voiced frame, allowing gaps of at most {@link #MAX_GAP_FRAMES} unvoiced frames — holds the profile's
 * minimum speech; a silence of the profile's minimum ends it. While idle it keeps a pre-roll ring so the segment
 * handed to STT starts before the first voiced frame (the first syllable's onset is quieter than the threshold).
 *
 * <p>Pure logic, one instance per session, not thread-safe.
 */
public final class SpeechSegmenter {

    /** Unvoiced frames a speech candidate may contain between voiced ones (stop closures inside a syllable). */
    public static final int MAX_GAP_FRAMES = 2;

    /** What the segmenter decided, in order: started, audio…, ended. */
    public interface Listener {
        void onSpeechStarted(long firstVoicedSeq);

        /** A frame that belongs to the segment: the pre-roll and candidate frames first, then every frame. */
        void onSpeechAudio(AudioFrame frame);

        void onSpeechEnded(long lastVoicedSeq);
    }

    private final Listener listener;
    private final int preRollFrames;
    private final ArrayDeque<AudioFrame> ring = new ArrayDeque<>();
    private VadProfile profile;
    private boolean speaking;
    private long candidateStart = -1;
    private int candidateVoiced;
    private int gapRun;
    private long lastVoicedSeq = -1;
    private int silenceRun;

    public SpeechSegmenter(VadProfile profile, int preRollMs, Listener listener) {
        this.profile = profile;
        this.preRollFrames = Math.max(0, (preRollMs + Pcm.FRAME_MS - 1) / Pcm.FRAME_MS);
        this.listener = listener;
    }

    /** Takes effect from the next frame; a segment in progress keeps going under the new profile. */
    public void setProfile(VadProfile profile) {
        this.profile = profile;
    }

    public VadProfile profile() {
        return profile;
    }

    public boolean speaking() {
        return speaking;
    }

    /** The last voiced frame seen (of the segment in progress while speaking), -1 before any. */
    public long lastVoicedSeq() {
        return lastVoicedSeq;
    }

    public void accept(AudioFrame frame, double probability) {
        boolean voiced = probability >= profile.threshold();
        if (speaking) {
            listener.onSpeechAudio(frame);
            if (voiced) {
                lastVoicedSeq = frame.seq();
                silenceRun = 0;
            } else if (++silenceRun >= profile.minSilenceFrames()) {
                speaking = false;
                listener.onSpeechEnded(lastVoicedSeq);
            }
            return;
        }
        ring.addLast(frame);
        if (voiced) {
            if (candidateStart < 0) {
                candidateStart = frame.seq();
            }
            candidateVoiced++;
            gapRun = 0;
            lastVoicedSeq = frame.seq();
            if (candidateVoiced >= profile.minSpeechFrames()) {
                confirm();
                return;
            }
        } else if (candidateStart >= 0 && ++gapRun > MAX_GAP_FRAMES) {
            dropCandidate();
        }
        trimRing();
    }

    private void confirm() {
        speaking = true;
        silenceRun = 0;
        long firstVoiced = candidateStart;
        dropCandidate();
        listener.onSpeechStarted(firstVoiced);
        while (!ring.isEmpty()) {
            listener.onSpeechAudio(ring.pollFirst());
        }
    }

    private void dropCandidate() {
        candidateStart = -1;
        candidateVoiced = 0;
        gapRun = 0;
    }

    /** Keeps the candidate's frames and at most {@code preRollFrames} before it. */
    private void trimRing() {
        if (candidateStart < 0) {
            while (ring.size() > preRollFrames) {
                ring.pollFirst();
            }
        } else {
            while (!ring.isEmpty() && ring.peekFirst().seq() < candidateStart - preRollFrames) {
                ring.pollFirst();
            }
        }
    }
}

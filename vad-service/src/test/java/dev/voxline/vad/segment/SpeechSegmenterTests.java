package dev.voxline.vad.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.vad.engine.AudioFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechSegmenterTests {

    /** What the segmenter told its listener, in order: "started@seq", "audio@seq", "ended@seq". */
    static final class Recording implements SpeechSegmenter.Listener {
        final List<String> events = new ArrayList<>();
        final List<Long> audio = new ArrayList<>();

        @Override
        public void onSpeechStarted(long firstVoicedSeq) {
            events.add("started@" + firstVoicedSeq);
        }

        @Override
        public void onSpeechAudio(AudioFrame frame) {
            audio.add(frame.seq());
        }

        @Override
        public void onSpeechEnded(long lastVoicedSeq) {
            events.add("ended@" + lastVoicedSeq);
        }
    }

    private long seq;

    /** Feeds {@code count} frames of probability {@code p}. */
    private void feed(SpeechSegmenter segmenter, int count, double p) {
        for (int i = 0; i < count; i++) {
            segmenter.accept(new AudioFrame(seq++, new byte[640], -1, false), p);
        }
    }

    @Test
    void lowLatencyFindsSegmentBoundaries() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 20, 0.0);  // 0..19 silence
        feed(segmenter, 30, 0.9);  // 20..49 speech
        feed(segmenter, 20, 0.0);  // 50..69 silence: ends after 15 frames (300 ms)

        assertThat(out.events).containsExactly("started@20", "ended@49");
        // pre-roll 10 frames (200 ms), then everything up to the frame that completed the silence window
        assertThat(out.audio.get(0)).isEqualTo(10L);
        assertThat(out.audio.get(out.audio.size() - 1)).isEqualTo(64L);
        assertThat(out.audio).hasSize(55).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void speechIsConfirmedAfterMinSpeechAndPreRollIsSentFirst() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 40, 0.0);
        feed(segmenter, 4, 0.9);
        assertThat(out.events).isEmpty();
        assertThat(out.audio).isEmpty();

        feed(segmenter, 1, 0.9); // the 5th voiced frame = 100 ms
        assertThat(out.events).containsExactly("started@40");
        assertThat(out.audio).containsExactly(30L, 31L, 32L, 33L, 34L, 35L, 36L, 37L, 38L, 39L,
                40L, 41L, 42L, 43L, 44L);
        assertThat(segmenter.speaking()).isTrue();
    }

    @Test
    void preRollIsShorterWhenSpeechStartsAtOnce() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 3, 0.0);
        feed(segmenter, 5, 0.9);
        assertThat(out.events).containsExactly("started@3");
        assertThat(out.audio).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void shortClickIsNotSpeech() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 10, 0.0);
        feed(segmenter, 3, 1.0); // 60 ms click
        feed(segmenter, 50, 0.0);
        feed(segmenter, 2, 1.0);
        feed(segmenter, 50, 0.0);
        assertThat(out.events).isEmpty();
        assertThat(out.audio).isEmpty();
    }

    @Test
    void shortGapsInsideACandidateAreTolerated() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 10, 0.0);
        feed(segmenter, 3, 0.9);  // 10..12
        feed(segmenter, 2, 0.0);  // gap of 40 ms
        feed(segmenter, 2, 0.9);  // 15..16: 5 voiced frames in the candidate
        assertThat(out.events).containsExactly("started@10");
    }

    @Test
    void longGapsResetTheCandidate() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        feed(segmenter, 10, 0.0);
        feed(segmenter, 3, 0.9);  // 10..12
        feed(segmenter, 3, 0.0);  // gap of 60 ms: candidate dropped
        feed(segmenter, 3, 0.9);  // 16..18: only 3 voiced in the new candidate
        assertThat(out.events).isEmpty();
        feed(segmenter, 2, 0.9);
        assertThat(out.events).containsExactly("started@16");
        assertThat(out.audio.get(0)).isEqualTo(6L);
    }

    @Test
    void highAccuracyNeedsLongerSpeechAndLongerSilence() {
        Recording low = new Recording();
        Recording high = new Recording();
        SpeechSegmenter lowSegmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, low);
        SpeechSegmenter highSegmenter = new SpeechSegmenter(VadProfile.HIGH_ACCURACY, 200, high);
        for (SpeechSegmenter segmenter : List.of(lowSegmenter, highSegmenter)) {
            seq = 0;
            feed(segmenter, 10, 0.0);
            feed(segmenter, 8, 0.9);   // 160 ms: speech for low-latency only
            feed(segmenter, 30, 0.0);
            feed(segmenter, 40, 0.9);  // 800 ms of speech
            feed(segmenter, 20, 0.0);  // 400 ms pause: ends low-latency only
            feed(segmenter, 40, 0.9);
            feed(segmenter, 30, 0.0);
        }
        assertThat(low.events).containsExactly("started@10", "ended@17", "started@48", "ended@87",
                "started@108", "ended@147");
        assertThat(high.events).containsExactly("started@48", "ended@147");
    }

    @Test
    void thresholdComesFromTheProfile() {
        Recording low = new Recording();
        Recording high = new Recording();
        SpeechSegmenter lowSegmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, low);
        SpeechSegmenter highSegmenter = new SpeechSegmenter(VadProfile.HIGH_ACCURACY, 200, high);
        feed(lowSegmenter, 20, 0.55);
        seq = 0;
        feed(highSegmenter, 20, 0.55);
        assertThat(low.events).containsExactly("started@0");
        assertThat(high.events).isEmpty();
    }

    @Test
    void profileCanChangeBetweenSegments() {
        Recording out = new Recording();
        SpeechSegmenter segmenter = new SpeechSegmenter(VadProfile.LOW_LATENCY, 200, out);
        segmenter.setProfile(VadProfile.HIGH_ACCURACY);
        feed(segmenter, 8, 0.9);
        assertThat(out.events).isEmpty();
        feed(segmenter, 2, 0.9);
        assertThat(out.events).containsExactly("started@0");
    }

    @Test
    void profilesByName() {
        assertThat(VadProfile.named("high-accuracy", VadProfile.LOW_LATENCY)).isEqualTo(VadProfile.HIGH_ACCURACY);
        assertThat(VadProfile.named("low-latency", VadProfile.HIGH_ACCURACY)).isEqualTo(VadProfile.LOW_LATENCY);
        assertThat(VadProfile.named(null, VadProfile.HIGH_ACCURACY)).isEqualTo(VadProfile.HIGH_ACCURACY);
        assertThat(VadProfile.named("bogus", VadProfile.LOW_LATENCY)).isEqualTo(VadProfile.LOW_LATENCY);
        assertThat(VadProfile.LOW_LATENCY.minSpeechFrames()).isEqualTo(5);
        assertThat(VadProfile.LOW_LATENCY.minSilenceFrames()).isEqualTo(15);
        assertThat(VadProfile.HIGH_ACCURACY.minSpeechFrames()).isEqualTo(10);
        assertThat(VadProfile.HIGH_ACCURACY.minSilenceFrames()).isEqualTo(25);
    }
}

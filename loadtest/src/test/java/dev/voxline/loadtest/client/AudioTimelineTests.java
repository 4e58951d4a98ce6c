package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioTimelineTests {

    @Test
    void mapsAnAudioPositionToTheSendInstantOfTheFrameThatEndsThere() {
        AudioTimeline timeline = new AudioTimeline(16_000);
        for (int k = 0; k < 100; k++) {
            timeline.sent(320, 1_000 + k * 10L); // 20 ms frames
        }

        // speech.ended audioMs = (lastVoicedSeq + 1) · 20: the end of frame lastVoicedSeq
        assertThat(timeline.sentNanosAt(20)).hasValue(1_000);
        assertThat(timeline.sentNanosAt(1240)).hasValue(1_000 + 61 * 10L);
        assertThat(timeline.sentNanosAt(1250)).hasValue(1_000 + 62 * 10L);
        assertThat(timeline.sentNanosAt(2000)).hasValue(1_000 + 99 * 10L);
        assertThat(timeline.sentNanosAt(2020)).isEmpty();
        assertThat(timeline.positionMs()).isEqualTo(2000);
    }

    @Test
    void positionsRunOnAcrossPausesAndUnevenChunks() {
        AudioTimeline timeline = new AudioTimeline(16_000);
        timeline.sent(1600, 100); // 100 ms
        timeline.sent(160, 500);  // 10 ms, sent much later (a pause between utterances)
        timeline.sent(480, 900);  // 30 ms

        assertThat(timeline.sentNanosAt(100)).hasValue(100);
        assertThat(timeline.sentNanosAt(105)).hasValue(500);
        assertThat(timeline.sentNanosAt(111)).hasValue(900);
        assertThat(timeline.positionMs()).isEqualTo(140);
    }

    @Test
    void growsBeyondItsInitialCapacity() {
        AudioTimeline timeline = new AudioTimeline(16_000);
        for (int k = 0; k < 10_000; k++) {
            timeline.sent(320, k);
        }
        assertThat(timeline.sentNanosAt(200_000)).hasValue(9_999);
        assertThat(timeline.sentNanosAt(100_000)).hasValue(4_999);
    }
}

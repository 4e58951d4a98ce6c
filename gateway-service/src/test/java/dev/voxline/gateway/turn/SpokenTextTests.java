package dev.voxline.gateway.turn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpokenTextTests {

    @Test
    void whatWasHeardIsTheFinishedClausesAndTheWordsOfTheCurrentOneThatFit() {
        SpokenText spoken = new SpokenText();
        spoken.clauseStarts(0, "Once upon a time there was a lighthouse.");
        spoken.clauseStarts(2000, "Every night it sent its light across the water.");

        assertThat(spoken.heard(0, 5000)).isEmpty();
        assertThat(spoken.heard(1000, 5000)).isEqualTo("Once upon a time");
        assertThat(spoken.heard(2000, 5000)).isEqualTo("Once upon a time there was a lighthouse.");
        assertThat(spoken.heard(3500, 5000)).isEqualTo("Once upon a time there was a lighthouse. Every night it sent its");
        assertThat(spoken.heard(5000, 5000)).isEqualTo(spoken.all());
    }

    @Test
    void aWordIsHeardOnlyWhenAllOfItWasPlayed() {
        assertThat(SpokenText.wordsWithin("hello world", 0.4)).isEmpty();
        assertThat(SpokenText.wordsWithin("hello world", 0.5)).isEqualTo("hello");
        assertThat(SpokenText.wordsWithin("hello world", 1)).isEqualTo("hello world");
    }
}

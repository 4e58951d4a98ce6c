package dev.voxline.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordErrorRateTests {

    @Test
    void identicalTextsHaveNoErrors() {
        WordErrorRate.Alignment a = WordErrorRate.align("what time is it", "what time is it");

        assertThat(a.edits()).isZero();
        assertThat(a.correctWords()).isEqualTo(4);
        assertThat(a.rate()).isZero();
    }

    @Test
    void normalisationIgnoresCasePunctuationApostrophesAndExtraSpace() {
        assertThat(WordErrorRate.words("  Hi, how are you?  ")).containsExactly("hi", "how", "are", "you");
        assertThat(WordErrorRate.words("Let's play — some music!")).containsExactly("lets", "play", "some", "music");
        assertThat(WordErrorRate.words("I’m twenty-one")).containsExactly("im", "twenty", "one");
        assertThat(WordErrorRate.words("Café  NAÏVE")).containsExactly("café", "naïve");
        assertThat(WordErrorRate.of("Let's play some music.", "lets play some music")).isZero();
        assertThat(WordErrorRate.of("Open the window, please.", "OPEN THE WINDOW PLEASE")).isZero();
    }

    @Test
    void digitsAndNumberWordsAreDifferentWords() {
        assertThat(WordErrorRate.words("at 7:30")).containsExactly("at", "7", "30");
        WordErrorRate.Alignment a = WordErrorRate.align("the train leaves at seven", "the train leaves at 7");

        assertThat(a.substitutions()).isEqualTo(1);
        assertThat(a.rate()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void nullAndBlankTextHaveNoWords() {
        assertThat(WordErrorRate.words(null)).isEmpty();
        assertThat(WordErrorRate.words(" ?! ")).isEmpty();
    }

    @Test
    void countsASubstitution() {
        WordErrorRate.Alignment a = WordErrorRate.align("turn off the lights", "turn of the lights");

        assertThat(a).isEqualTo(new WordErrorRate.Alignment(4, 4, 1, 0, 0));
        assertThat(a.rate()).isEqualTo(0.25);
    }

    @Test
    void countsADeletion() {
        WordErrorRate.Alignment a = WordErrorRate.align("turn off the lights", "turn the lights");

        assertThat(a).isEqualTo(new WordErrorRate.Alignment(4, 3, 0, 1, 0));
    }

    @Test
    void countsAnInsertion() {
        WordErrorRate.Alignment a = WordErrorRate.align("turn off the lights", "turn off all the lights");

        assertThat(a).isEqualTo(new WordErrorRate.Alignment(4, 5, 0, 0, 1));
        assertThat(a.rate()).isEqualTo(0.25);
    }

    @Test
    void mixedEditsAddUpToTheMinimumDistance() {
        // reference: the cat sat on the mat; heard: a cat sat the mat today → sub (the→a), del (on), ins (today)
        WordErrorRate.Alignment a = WordErrorRate.align("the cat sat on the mat", "a cat sat the mat today");

        assertThat(a.edits()).isEqualTo(3);
        assertThat(a.substitutions()).isEqualTo(1);
        assertThat(a.deletions()).isEqualTo(1);
        assertThat(a.insertions()).isEqualTo(1);
        assertThat(a.rate()).isCloseTo(0.5, within(1e-12));
        assertThat(a.describe()).isEqualTo("3/6 (1 sub, 1 del, 1 ins)");
    }

    @Test
    void theDistanceIsTheLevenshteinDistanceOnWords() {
        // a classic: kitten → sitting is 3 on letters; spelled as words it is the same alignment problem
        List<String> kitten = List.of("k", "i", "t", "t", "e", "n");
        List<String> sitting = List.of("s", "i", "t", "t", "i", "n", "g");

        WordErrorRate.Alignment a = WordErrorRate.align(kitten, sitting);

        assertThat(a.edits()).isEqualTo(3);
        assertThat(a.substitutions()).isEqualTo(2);
        assertThat(a.insertions()).isEqualTo(1);
        assertThat(WordErrorRate.align(sitting, kitten).edits()).isEqualTo(3);
    }

    @Test
    void reorderedWordsCostTwoEditsPerSwap() {
        assertThat(WordErrorRate.align("good morning", "morning good").edits()).isEqualTo(2);
    }

    @Test
    void nothingHeardDeletesEveryReferenceWord() {
        WordErrorRate.Alignment a = WordErrorRate.align("who are you", "");

        assertThat(a).isEqualTo(new WordErrorRate.Alignment(3, 0, 0, 3, 0));
        assertThat(a.rate()).isEqualTo(1.0);
        assertThat(WordErrorRate.align("who are you", null).rate()).isEqualTo(1.0);
    }

    @Test
    void manyInsertionsTakeTheRateAboveOne() {
        WordErrorRate.Alignment a = WordErrorRate.align("hello", "hello there how are you");

        assertThat(a.insertions()).isEqualTo(4);
        assertThat(a.rate()).isEqualTo(4.0);
    }

    @Test
    void anEmptyReferenceIsZeroWhenNothingWasHeardAndUndefinedOtherwise() {
        assertThat(WordErrorRate.of("", "")).isZero();
        assertThat(WordErrorRate.of("", "hello")).isNaN();
    }

    @Test
    void poolingDividesTotalEditsByTotalReferenceWordsNotTheMeanOfRates() {
        WordErrorRate.Alignment shortOne = WordErrorRate.align("hello", "yellow"); // 1/1
        WordErrorRate.Alignment longOne = WordErrorRate.align(
                "we are going to the beach this weekend", "we are going to the beach this weekend"); // 0/8

        assertThat(WordErrorRate.pooled(List.of(shortOne, longOne))).isCloseTo(1.0 / 9, within(1e-12));
        // the mean of the per-utterance rates would be 0.5
        WordErrorRate.Alignment total = WordErrorRate.total(List.of(shortOne, longOne));
        assertThat(total).isEqualTo(new WordErrorRate.Alignment(9, 9, 1, 0, 0));
    }

    @Test
    void poolingNothingIsUndefined() {
        assertThat(WordErrorRate.pooled(List.of())).isNaN();
        assertThat(new WordErrorRate.Pool().rate()).isNaN();
    }

    @Test
    void thePoolCollectsUtterances() {
        WordErrorRate.Pool pool = new WordErrorRate.Pool();
        pool.add("what day is it today", "what day is it today");
        pool.add("good morning", "good morning");
        WordErrorRate.Alignment third = pool.add("thank you very much", "thank you much");

        assertThat(third.deletions()).isEqualTo(1);
        assertThat(pool.utterances()).isEqualTo(3);
        assertThat(pool.total().referenceWords()).isEqualTo(11);
        assertThat(pool.rate()).isCloseTo(1.0 / 11, within(1e-12));
    }

    @Test
    void anAlignmentWhoseCountsCannotBeRejectsThem() {
        assertThatThrownBy(() -> new WordErrorRate.Alignment(2, 2, 3, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WordErrorRate.Alignment(2, 5, 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WordErrorRate.Alignment(-1, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

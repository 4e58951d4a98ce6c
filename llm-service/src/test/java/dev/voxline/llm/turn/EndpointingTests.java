package dev.voxline.llm.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointingTests {

    private final TranscriptRules rules = new TranscriptRules();
    private final EndpointingPolicy policy = EndpointingPolicy.DEFAULT;

    @Test
    void aClauseThatObviouslyGoesOnIsUnfinished() {
        for (String text : List.of("I want to book a", "and so my fellow americans and", "can you tell me about the",
                "I was thinking um", "it is", "my name is", "send it to", "Well,")) {
            assertThat(rules.endOfTurnProbability(text, List.of())).as(text).isEqualTo(TranscriptRules.UNFINISHED);
        }
    }

    @Test
    void questionsAndShortSocialPhrasesAreComplete() {
        for (String text : List.of("what time is it", "what is the weather in paris", "can you help me",
                "Where are you?", "thank you", "hello", "It is noon.")) {
            assertThat(rules.endOfTurnProbability(text, List.of())).as(text).isEqualTo(TranscriptRules.COMPLETE);
        }
        assertThat(rules.endOfTurnProbability("the lights in the kitchen", List.of()))
                .isEqualTo(TranscriptRules.UNDECIDED);
    }

    @Test
    void aVerbThatClosesAnEmbeddedQuestionEndsTheClause() {
        // Vosk gives no "?": these ended on "is"/"are" and waited the maximum 3 s in the conversation benchmark
        assertThat(rules.endOfTurnProbability("do you know what day it is", List.of()))
                .isEqualTo(TranscriptRules.COMPLETE);
        assertThat(rules.endOfTurnProbability("i wonder where you are", List.of()))
                .isEqualTo(TranscriptRules.UNDECIDED);
        for (String text : List.of("what is the", "my name is", "the question is")) {
            assertThat(rules.endOfTurnProbability(text, List.of())).as(text).isEqualTo(TranscriptRules.UNFINISHED);
        }
    }

    @Test
    void theWaitIsTheMinimumForACompleteThoughtTheMaximumForAnUnfinishedOne() {
        PauseLearner none = new PauseLearner();
        assertThat(policy.delayMs(0.9, none, 300, 3000)).isEqualTo(300);
        assertThat(policy.delayMs(0.05, none, 300, 3000)).isEqualTo(3000);
        assertThat(policy.delayMs(0.5, none, 300, 3000)).isEqualTo(800);
        assertThat(policy.delayMs(0.5, none, 900, 3000)).as("never under the minimum").isEqualTo(900);
    }

    @Test
    void anUndecidedTurnWaitsALittleLongerThanThisCallersPauses() {
        PauseLearner pauses = new PauseLearner();
        pauses.observe(1000);
        assertThat(pauses.averageMs()).isEqualTo(1000);
        assertThat(policy.delayMs(0.5, pauses, 300, 3000)).isEqualTo(1250);
        pauses.observe(500);
        assertThat(pauses.averageMs()).isEqualTo(0.4 * 500 + 0.6 * 1000);
        assertThat(policy.delayMs(0.5, pauses, 300, 3000)).isEqualTo(1000);
        pauses.observe(10_000);
        assertThat(policy.delayMs(0.5, pauses, 300, 3000)).as("clamped to the maximum").isEqualTo(3000);
        assertThat(pauses.observed()).isEqualTo(3);
    }

    @Test
    void shortLearnedPausesNeverShortenTheUndecidedWait() {
        // the counting recording: "testing … one" (320 ms as Silero hears it), then a 590 ms pause in the sentence
        PauseLearner pauses = new PauseLearner();
        pauses.observe(320);
        assertThat(policy.delayMs(0.5, pauses, 300, 3000)).as("not 1.25 x 320 = 400").isEqualTo(800);
    }

    @Test
    void backchannelsAreNotWordsOfAnInterruption() {
        InterruptionWords words = new InterruptionWords(InterruptionWords.DEFAULT_BACKCHANNELS);
        assertThat(words.classify("mm-hm")).isEqualTo(InterruptionWords.Kind.BACKCHANNEL);
        assertThat(words.classify("Yeah, okay.")).isEqualTo(InterruptionWords.Kind.BACKCHANNEL);
        assertThat(words.classify("uh huh i see")).isEqualTo(InterruptionWords.Kind.BACKCHANNEL);
        assertThat(words.classify("")).isEqualTo(InterruptionWords.Kind.NO_WORDS);
        assertThat(words.classify("yeah but what about tomorrow")).isEqualTo(InterruptionWords.Kind.WORDS);
        assertThat(words.wordsBeyondBackchannels("yeah but what about tomorrow")).isEqualTo(4);
        assertThat(new InterruptionWords(Set.of("Bof")).classify("bof")).isEqualTo(InterruptionWords.Kind.BACKCHANNEL);
    }
}

package dev.voxline.llm.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.llm.engine.SimulatedLlmEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceChunkerTests {

    /** Feeds word tokens (as the LLM streams them) and returns every release, the flush last. */
    private static List<String> chunk(String reply) {
        return chunk(SimulatedLlmEngine.tokens(reply));
    }

    private static List<String> chunk(List<String> tokens) {
        SentenceChunker chunker = new SentenceChunker();
        List<String> out = new ArrayList<>();
        tokens.forEach(token -> out.addAll(chunker.accept(token)));
        String rest = chunker.flush();
        if (rest != null) {
            out.add(rest);
        }
        return out;
    }

    @Test
    void releasesEachSentence() {
        assertThat(chunk("Hello there. How are you today? I am fine!"))
                .containsExactly("Hello there.", "How are you today?", "I am fine!");
    }

    @Test
    void releasesASentenceAsSoonAsTheNextTokenShowsItEnded() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.accept("Hello")).isEmpty();
        assertThat(chunker.accept(" there.")).isEmpty();           // could be "there.5" or "there.\""
        assertThat(chunker.accept(" How")).containsExactly("Hello there.");
        assertThat(chunker.pending()).isEqualTo(" How");
        assertThat(chunker.accept(" are")).isEmpty();
        assertThat(chunker.flush()).isEqualTo("How are");
        assertThat(chunker.flush()).isNull();
    }

    @Test
    void sentenceAtTheEndOfTheReplyIsReleasedByFlush() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.accept("Done.")).isEmpty();
        assertThat(chunker.flush()).isEqualTo("Done.");
    }

    @Test
    void decimalNumbersDoNotEndSentences() {
        assertThat(chunk("The value is 3.5 today. Yes."))
                .containsExactly("The value is 3.5 today.", "Yes.");
        // a decimal split across tokens
        assertThat(chunk(List.of("It", " costs", " 3.", "5", " euros.", " Ok.")))
                .containsExactly("It costs 3.5 euros.", "Ok.");
    }

    @Test
    void abbreviationsDoNotEndSentences() {
        assertThat(chunk("Ask Dr. Smith about it. Fruit, e.g. apples and pears, is good. See i.e. this."))
                .containsExactly("Ask Dr. Smith about it.", "Fruit, e.g. apples and pears,", "is good.",
                        "See i.e. this.");
        assertThat(chunk("Mr. and Mrs. Jones live on Baker St. near the park."))
                .containsExactly("Mr. and Mrs. Jones live on Baker St. near the park.");
    }

    @Test
    void ordinaryWordsBeforeAPeriodEndSentences() {
        assertThat(chunk("I said no. Then I left.")).containsExactly("I said no.", "Then I left.");
    }

    @Test
    void clausesNeedTwentyCharacters() {
        // "Well," is too short to speak alone; the longer clause is released at its comma
        assertThat(chunk("Well, that is a really good question, and the answer is simple"))
                .containsExactly("Well, that is a really good question,", "and the answer is simple");
    }

    @Test
    void semicolonColonAndDashBreakLongClauses() {
        assertThat(chunk("The first part is long enough; the second part: also long enough to go"))
                .containsExactly("The first part is long enough;", "the second part: also long enough to go");
        assertThat(chunk("Here is the thing we wanted—and then some more words"))
                .containsExactly("Here is the thing we wanted—", "and then some more words");
        assertThat(chunk("Short—then more"))
                .containsExactly("Short—then more");
    }

    @Test
    void numbersWithCommasAreNotClauses() {
        assertThat(chunk("There are exactly 1,000,000 people living in this city today"))
                .containsExactly("There are exactly 1,000,000 people living in this city today");
    }

    @Test
    void punctuationRunsAndClosingQuotesStayWithTheSentence() {
        assertThat(chunk("Really?! Yes... \"It works.\" (Indeed.) Fine"))
                .containsExactly("Really?!", "Yes...", "\"It works.\"", "(Indeed.)", "Fine");
    }

    @Test
    void oneTokenMayCompleteSeveralSentences() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.accept("One. Two. Three")).containsExactly("One.", "Two.");
        assertThat(chunker.flush()).isEqualTo("Three");
    }

    @Test
    void tokensSplitInsideWordsAndPunctuation() {
        assertThat(chunk(List.of("Hel", "lo", " wor", "ld", ".", " Ag", "ain", "!")))
                .containsExactly("Hello world.", "Again!");
        assertThat(chunk(List.of("Wait", "?", "!", " ", "Go")))
                .containsExactly("Wait?!", "Go");
    }

    @Test
    void whitespaceAndEmptyTokensReleaseNothing() {
        SentenceChunker chunker = new SentenceChunker();
        assertThat(chunker.accept("")).isEmpty();
        assertThat(chunker.accept("   ")).isEmpty();
        assertThat(chunker.flush()).isNull();
    }

    @Test
    void newlinesCountAsWhitespace() {
        assertThat(chunk(List.of("First line.", "\n", "Second line."))).containsExactly("First line.",
                "Second line.");
    }

    @Test
    void minimumClauseLengthIsConfigurable() {
        SentenceChunker chunker = new SentenceChunker(5);
        List<String> out = new ArrayList<>();
        SimulatedLlmEngine.tokens("Well, sure, why not").forEach(t -> out.addAll(chunker.accept(t)));
        assertThat(out).containsExactly("Well,", "sure,");
        assertThat(chunker.flush()).isEqualTo("why not");
    }

    @Test
    void concatenatedChunksKeepEveryWord() {
        String reply = "You said: what is the weather like in Berlin today. This is Voxline's simulated reply "
                + "engine, e.g. for tests; it answers at 3.5 tokens per second—or faster. Okay?";
        List<String> chunks = chunk(reply);
        assertThat(String.join(" ", chunks).replace("— ", "—")).isEqualTo(reply);
        assertThat(chunks).hasSizeGreaterThan(3);
    }
}

package dev.voxline.loadtest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.loadtest.report.WordErrorRate;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhraseSetTests {

    @TempDir
    Path dir;

    @Test
    void theShippedSetHasAtLeast24PhrasesOfOneToThreeSecondsAt16kHz() throws Exception {
        PhraseSet set = PhraseSet.shipped();

        assertThat(set.size()).isGreaterThanOrEqualTo(24);
        assertThat(set.phrases()).allSatisfy(p -> {
            assertThat(p.audio().durationMs()).as(p.name()).isBetween(1_000L, 3_000L);
            assertThat(p.reference()).as(p.name()).isNotBlank();
            assertThat(p.name()).endsWith(".wav");
        });
        assertThat(set.phrases().stream().map(PhraseSet.Phrase::name).distinct()).hasSize(set.size());
        // 16 kHz mono 16-bit, under about 2 MB in all
        long bytes = set.phrases().stream().mapToLong(p -> p.audio().pcm().length).sum();
        assertThat(bytes).isLessThan(2_000_000L);
    }

    @Test
    void theShippedSetMixesQuestionsTheBuiltInAssistantAnswersWithSentencesItRepeats() throws Exception {
        List<String> texts = PhraseSet.shipped().phrases().stream()
                .map(p -> String.join(" ", WordErrorRate.words(p.reference()))).toList();

        assertThat(texts).anyMatch(t -> t.startsWith("hello") || t.startsWith("hi ") || t.startsWith("good morning"));
        assertThat(texts).anyMatch(t -> t.contains("what time"));
        assertThat(texts).anyMatch(t -> t.contains("what day"));
        assertThat(texts).anyMatch(t -> t.contains("what can you do"));
        assertThat(texts).anyMatch(t -> t.contains("who are you"));
        assertThat(texts).anyMatch(t -> t.contains("connect a language model"));
        // at least ten ordinary sentences the assistant can only repeat back: none of the words its rules look for
        assertThat(texts.stream().filter(t -> !t.matches(
                ".*\\b(hello|hi|hey|good morning|time|date|day|help|what can you do|who are you|connect|model)\\b.*"))
                .count()).isGreaterThanOrEqualTo(10);
        // numbers are spelled as words, as the speech recogniser writes them
        assertThat(texts).noneMatch(t -> t.matches(".*\\d.*"));
    }

    @Test
    void theFirstNPhrasesKeepTheOrderAndSayTheyAreASubset() throws Exception {
        PhraseSet set = PhraseSet.read("test", List.of(new PhraseSet.Entry(1, "a.wav", "Ay"),
                new PhraseSet.Entry(2, "b.wav", "Bee"), new PhraseSet.Entry(3, "c.wav", "Sea")),
                file -> new SpeechAudio(new byte[3200], file));

        assertThat(set.first(2).phrases()).extracting(PhraseSet.Phrase::name).containsExactly("a.wav", "b.wav");
        assertThat(set.first(2).source()).isEqualTo("test (first 2 of 3)");
        assertThat(set.first(3)).isSameAs(set);
        assertThat(set.first(10)).isSameAs(set);
        assertThatThrownBy(() -> set.first(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theShippedSetsAreNamedForTheCommandLine() {
        assertThat(PhraseSet.Shipped.values()).extracting(PhraseSet.Shipped::label)
                .containsExactly("synthetic", "human");
        assertThat(PhraseSet.Shipped.SYNTHETIC.folder()).isEqualTo(PhraseSet.SHIPPED);
    }

    @Test
    void parsesFileTabReferenceSkippingBlankAndCommentLines() throws Exception {
        String tsv = "\uFEFF# the set\n\na.wav\tHello there.\n  \nb.wav\t  What time is it?  \n";

        List<PhraseSet.Entry> entries = PhraseSet.parse(new StringReader(tsv), "test.tsv");

        assertThat(entries).containsExactly(new PhraseSet.Entry(3, "a.wav", "Hello there."),
                new PhraseSet.Entry(5, "b.wav", "What time is it?"));
    }

    @Test
    void aLineWithoutATabNamesItsLine() {
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("a.wav\tHello\nb.wav Hello\n"), "x.tsv"))
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessage("x.tsv line 2: expected file name TAB reference text, found no tab");
    }

    @Test
    void emptyFieldsDuplicatesAndPathsAreRejected() {
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("a.wav\t  \n"), "x.tsv"))
                .hasMessageContaining("line 1: the file name and the reference text must not be empty");
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("\tHello\n"), "x.tsv"))
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("a.wav\tHi\na.wav\tHo\n"), "x.tsv"))
                .hasMessageContaining("line 2: a.wav is listed twice");
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("../a.wav\tHi\n"), "x.tsv"))
                .hasMessageContaining("is not a .wav file name in the same directory");
        assertThatThrownBy(() -> PhraseSet.parse(new StringReader("a.mp3\tHi\n"), "x.tsv"))
                .hasMessageContaining("is not a .wav file name");
    }

    @Test
    void readsEachEntrysAudioInOrder() throws Exception {
        List<PhraseSet.Entry> entries = List.of(new PhraseSet.Entry(1, "b.wav", "Bee"),
                new PhraseSet.Entry(2, "a.wav", "Ay"));

        PhraseSet set = PhraseSet.read("test", entries, file -> new SpeechAudio(new byte[3200], file));

        assertThat(set.phrases()).extracting(PhraseSet.Phrase::name).containsExactly("b.wav", "a.wav");
        assertThat(set.phrases()).extracting(PhraseSet.Phrase::reference).containsExactly("Bee", "Ay");
        assertThat(set.phrases().get(0).audio().durationMs()).isEqualTo(100);
    }

    @Test
    void anEmptyIndexOrSilentFileIsAnError() {
        assertThatThrownBy(() -> PhraseSet.read("test", List.of(), file -> null))
                .isInstanceOf(UnreadableAudioException.class).hasMessageContaining("lists no phrases");
        assertThatThrownBy(() -> PhraseSet.read("test", List.of(new PhraseSet.Entry(4, "a.wav", "Ay")),
                file -> new SpeechAudio(new byte[0], file)))
                .isInstanceOf(UnreadableAudioException.class).hasMessage("test line 4: a.wav holds no audio");
    }

    @Test
    void loadsASetFromADirectory() throws Exception {
        byte[] pcm = new byte[8_000]; // 0.5 s at 8 kHz → 16 kHz
        pcm[100] = 40;
        WavWriter.writePcm16Mono(dir.resolve("one.wav"), pcm, 8_000);
        Files.writeString(dir.resolve("phrases.tsv"), "one.wav\tOne phrase\n");

        PhraseSet set = PhraseSet.directory(dir);

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.phrases().get(0).audio().durationMs()).isCloseTo(500L, within(2L));
        assertThat(set.source()).endsWith("phrases.tsv");
    }

    @Test
    void aDirectoryWithoutAnIndexOrWithAMissingFileSaysWhat() throws Exception {
        assertThatThrownBy(() -> PhraseSet.directory(dir)).hasMessageContaining("no phrases.tsv");
        Files.writeString(dir.resolve("phrases.tsv"), "gone.wav\tGone\n");
        assertThatThrownBy(() -> PhraseSet.directory(dir))
                .hasMessageContaining("gone.wav".toLowerCase(Locale.ROOT)).hasMessageContaining("no such file");
    }
}

package dev.voxline.loadtest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.voxline.loadtest.audio.PauseSet.Item;
import dev.voxline.loadtest.audio.PauseSet.Origin;
import dev.voxline.loadtest.audio.PauseSet.Pause;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseSetTests {

    @TempDir
    Path dir;

    @Test
    void theShippedSetHoldsHumanRecordingsAndSyntheticSentencesWithPausesInside() throws Exception {
        PauseSet set = PauseSet.shipped();

        List<Item> human = set.items(Origin.HUMAN);
        List<Item> synthetic = set.items(Origin.SYNTHETIC);
        assertThat(human).hasSizeGreaterThanOrEqualTo(8).allMatch(Item::human);
        assertThat(synthetic).hasSizeGreaterThanOrEqualTo(12).noneMatch(Item::human);
        assertThat(set.items()).hasSize(human.size() + synthetic.size());
        assertThat(set.items()).allSatisfy(item -> {
            assertThat(item.reference()).as(item.name()).isNotBlank();
            assertThat(item.source()).as(item.name()).isNotBlank();
            assertThat(item.durationMs()).as(item.name()).isBetween(1_500L, 15_000L);
        });
        // human pauses in the range the endpointing has to get right, and fluent controls
        assertThat(human).filteredOn(i -> i.pauses().stream().anyMatch(p -> p.lengthMs() >= 400 && p.lengthMs() <= 600))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(human).filteredOn(i -> i.pauses().isEmpty()).hasSizeGreaterThanOrEqualTo(3);
        // every synthetic sentence: one or two pauses of 400-600 ms (±20 ms of espeak-ng's own silence)
        assertThat(synthetic).allSatisfy(item -> {
            assertThat(item.pauses()).as(item.name()).hasSizeBetween(1, 2);
            assertThat(item.pauses()).as(item.name()).allMatch(p -> p.lengthMs() >= 380 && p.lengthMs() <= 620);
        });
        // not only pauses the rules can see: some come after a clause that sounds complete
        assertThat(synthetic).filteredOn(i -> i.reference().matches("[^.?!]+[.?!] .+")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(set.items().stream().map(Item::name).distinct()).hasSize(set.items().size());
    }

    @Test
    void everyListedPauseIsQuietBetweenSpeech() throws Exception {
        for (Item item : PauseSet.shipped().items()) {
            PauseSet.SpeechLevels levels = PauseSet.SpeechLevels.of(item.pcm());
            double[] sorted = levels.frameDb().clone();
            java.util.Arrays.sort(sorted);
            double speech = sorted[(int) (0.95 * (sorted.length - 1))];
            for (Pause pause : item.pauses()) {
                String what = item.name() + " pause " + pause;
                assertThat(levels.levelDb(pause.startMs() + 20, pause.endMs() - 20)).as(what + ": quiet")
                        .isLessThan(speech - 20);
                assertThat(levels.levelDb(pause.startMs() - 150, pause.startMs())).as(what + ": speech before")
                        .isGreaterThan(speech - 25);
                assertThat(levels.levelDb(pause.endMs(), pause.endMs() + 150)).as(what + ": speech after")
                        .isGreaterThan(speech - 25);
            }
            assertThat(item.speechEndMs()).as(item.name()).isGreaterThan(item.pauses().isEmpty() ? 0
                    : item.pauses().get(item.pauses().size() - 1).endMs());
        }
    }

    @Test
    void theKennedyRecordingHasItsMeasuredPausesAndTrailingSilence() throws Exception {
        Item jfk = PauseSet.shipped(Origin.HUMAN).item("jfk.wav");

        assertThat(jfk.pauses()).containsExactly(new Pause(2120, 1170), new Pause(3710, 290), new Pause(4310, 1100),
                new Pause(7600, 590));
        assertThat(jfk.pausesAtLeast(300)).extracting(Pause::lengthMs).containsExactly(1170L, 1100L, 590L);
        assertThat(jfk.durationMs()).isEqualTo(12_500);
        assertThat(jfk.speechEndMs()).isBetween(10_800L, 11_000L);
    }

    @Test
    void theSpeechEndIsTheLastWordNotALaterClickInTheNoise() throws Exception {
        Item counting = PauseSet.shipped(Origin.HUMAN).item("vk5qi-counting.wav");

        // "… two one" ends at 6.5 s; the radio's noise goes on to 7.16 s, with a click at 7.08 s
        assertThat(counting.speechEndMs()).isBetween(6_400L, 6_600L);
    }

    @Test
    void shorteningPausesCutsTheirMiddleAndMovesLaterPausesEarlier() throws Exception {
        Item jfk = PauseSet.shipped(Origin.HUMAN).item("jfk.wav");

        Item edited = jfk.withPausesShortenedTo(550);

        assertThat(edited.pauses()).containsExactly(new Pause(2120, 550), new Pause(3090, 290),
                new Pause(3690, 550), new Pause(6430, 550));
        assertThat(edited.durationMs()).isEqualTo(jfk.durationMs() - 620 - 550 - 40);
        assertThat(edited.source()).contains("edited: pauses over 550 ms shortened to 550 ms");
        assertThat(edited.speechEndMs()).isCloseTo(jfk.speechEndMs() - 1_210, within(20L));
        // the speech before the first pause is untouched
        assertThat(java.util.Arrays.copyOf(edited.pcm(), 2120 * 32)).isEqualTo(java.util.Arrays.copyOf(jfk.pcm(),
                2120 * 32));
        assertThat(jfk.withPausesShortenedTo(2_000)).isSameAs(jfk);
    }

    @Test
    void aPauseCanBeLengthenedWithItsOwnAudio() throws Exception {
        Item sentence = PauseSet.shipped(Origin.SYNTHETIC).item("p08-hotel-two-pauses.wav");
        Pause first = sentence.pauses().get(0);
        Pause second = sentence.pauses().get(1);

        Item edited = sentence.withPauseLength(0, 2_000);

        assertThat(edited.pauses()).containsExactly(new Pause(first.startMs(), 2_000),
                new Pause(second.startMs() + 2_000 - first.lengthMs(), second.lengthMs()));
        assertThat(edited.durationMs()).isEqualTo(sentence.durationMs() + 2_000 - first.lengthMs());
        assertThat(edited.source()).endsWith("; edited: pause " + first + " made 2000 ms");
        PauseSet.SpeechLevels levels = PauseSet.SpeechLevels.of(edited.pcm());
        assertThat(levels.levelDb(first.startMs() + 20, first.startMs() + 1_980)).isLessThan(-60);
        assertThat(edited.withPauseLength(0, first.lengthMs()).pcm()).isEqualTo(sentence.pcm());
    }

    @Test
    void parsesFileReferencePausesAndSource() throws Exception {
        String tsv = "\uFEFF# the set\n\na.wav\tHello, there.\t100+400,900+300\tespeak-ng\nb.wav\tFluent.\t-\tme\n";

        List<PauseSet.Entry> entries = PauseSet.parse(new StringReader(tsv), "test.tsv");

        assertThat(entries).containsExactly(
                new PauseSet.Entry(3, "a.wav", "Hello, there.", List.of(new Pause(100, 400), new Pause(900, 300)),
                        "espeak-ng"),
                new PauseSet.Entry(4, "b.wav", "Fluent.", List.of(), "me"));
    }

    @Test
    void malformedLinesNameTheirLine() {
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t-\n"), "x.tsv"))
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessage("x.tsv line 1: expected file TAB reference text TAB pauses TAB source, found 3 field(s)");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t\tme\n"), "x.tsv"))
                .hasMessageContaining("line 1: no field may be empty");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t100-400\tme\n"), "x.tsv"))
                .hasMessageContaining("line 1: '100-400' is not a pause");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t100+0\tme\n"), "x.tsv"))
                .hasMessageContaining("'100+0' is not a pause");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t500+400,800+100\tme\n"), "x.tsv"))
                .hasMessageContaining("the pause 800+100 starts before the one before it ends");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("a.wav\tHi\t-\tme\na.wav\tHo\t-\tme\n"), "x.tsv"))
                .hasMessageContaining("line 2: a.wav is listed twice");
        assertThatThrownBy(() -> PauseSet.parse(new StringReader("../a.wav\tHi\t-\tme\n"), "x.tsv"))
                .hasMessageContaining("is not a .wav file name in the same directory");
    }

    @Test
    void aPauseBeyondTheAudioOrSilentFileIsAnError() {
        List<PauseSet.Entry> entries = List.of(new PauseSet.Entry(7, "a.wav", "Ay", List.of(new Pause(50, 60)), "me"));

        assertThatThrownBy(() -> PauseSet.read("test", entries, Origin.SYNTHETIC,
                file -> new SpeechAudio(new byte[3200], file))) // 100 ms
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessage("test line 7: the pause 50+60 does not end before a.wav does (100 ms)");
        assertThatThrownBy(() -> PauseSet.read("test", entries, Origin.SYNTHETIC,
                file -> new SpeechAudio(new byte[0], file))).hasMessage("test line 7: a.wav holds no audio");
    }

    @Test
    void loadsASetFromADirectory() throws Exception {
        byte[] pcm = new byte[16_000]; // 1 s at 8 kHz → 16 kHz
        WavWriter.writePcm16Mono(dir.resolve("one.wav"), pcm, 8_000);
        Files.writeString(dir.resolve("pauses.tsv"), "one.wav\tOne, two.\t300+400\tme, CC0\n");

        PauseSet set = PauseSet.directory(dir, Origin.HUMAN);

        Item item = set.item("one.wav");
        assertThat(item.durationMs()).isCloseTo(1_000L, within(2L));
        assertThat(item.pauses()).containsExactly(new Pause(300, 400));
        assertThat(item.human()).isTrue();
        assertThat(item.source()).isEqualTo("me, CC0");
        assertThatThrownBy(() -> PauseSet.directory(dir.resolve("none"), Origin.HUMAN))
                .hasMessageContaining("no pauses.tsv");
    }
}

package dev.voxline.loadtest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The human phrase set against the package it comes from: every transcribed recording of pocketsphinx-testdata, with
 * the package's own transcripts. The package is required (loadtest's build converts its audio): without it these
 * tests fail and say what to install.
 */
class HumanPhraseSetTests {

    static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");
    private static final Pattern TRANSCRIPT = Pattern.compile("^<s>\\s*(.*?)\\s*</s>\\s*\\((\\S+)\\)\\s*$");

    @Test
    void theManifestIsEveryTranscribedRecordingOfThePackageWithItsTranscriptInItsOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        transcripts(DATA.resolve("cards/cards.transcription")).forEach(t -> expected.add("cards-" + t[1] + ".wav\t"
                + t[0]));
        // sense_and_sensibility_01_austen_64kb-0870 → librivox-0870.wav
        transcripts(DATA.resolve("librivox/transcription")).forEach(t -> expected.add("librivox-"
                + t[1].substring(t[1].lastIndexOf('-') + 1) + ".wav\t" + t[0]));

        PhraseSet human = PhraseSet.Shipped.HUMAN.load();

        assertThat(human.phrases()).extracting(p -> p.name() + "\t" + p.reference())
                .containsExactlyElementsOf(expected);
        assertThat(human.size()).isEqualTo(10);
    }

    @Test
    void eachPhraseIsThePackagesRecordingSampleForSample() throws Exception {
        requirePackage();
        for (PhraseSet.Phrase phrase : PhraseSet.Shipped.HUMAN.load().phrases()) {
            String name = phrase.name();
            Path original = name.startsWith("cards-")
                    ? DATA.resolve("cards/" + name.substring("cards-".length()))
                    : DATA.resolve("librivox/sense_and_sensibility_01_austen_64kb-"
                    + name.substring("librivox-".length()));
            assertThat(phrase.audio().pcm()).as(name).isEqualTo(WavReader.read(original).pcm());
            assertThat(phrase.audio().durationMs()).as(name).isBetween(1_000L, 10_000L);
        }
    }

    @Test
    void aBuildWithoutTheRecordingsSaysWhichPackageToInstall() {
        String hint = PhraseSet.Shipped.HUMAN.missingHint();

        assertThatThrownBy(() -> PhraseSet.classpath("/audio/not-built/", hint))
                .isInstanceOf(UnreadableAudioException.class)
                .hasMessageContaining("/audio/not-built/phrases.tsv is missing from the build")
                .hasMessageContaining("apt-get install pocketsphinx-testdata");
    }

    /** {text, utterance id} per line of a Sphinx transcription file ({@code <s> words </s> (id)}). */
    private static List<String[]> transcripts(Path file) throws IOException {
        requirePackage();
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = TRANSCRIPT.matcher(line);
            assertThat(m.matches()).as(file + ": " + line).isTrue();
            lines.add(new String[] {m.group(1).replaceAll("\\s+", " "), m.group(2)});
        }
        return lines;
    }

    private static void requirePackage() {
        assertThat(Files.isDirectory(DATA.resolve("cards")) && Files.isDirectory(DATA.resolve("librivox")))
                .withFailMessage("%s is missing: the human phrase set comes from the Debian package "
                        + "pocketsphinx-testdata; install it (apt-get install pocketsphinx-testdata) and build "
                        + "loadtest again", DATA)
                .isTrue();
    }
}

package dev.voxline.loadtest.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spoken phrases with the text they say: a directory (or classpath folder) of WAV files and a {@code phrases.tsv}
 * listing {@code file name TAB reference text}, one phrase a line, in the order they are said. Blank lines and
 * lines starting with {@code #} are ignored. Two sets ship ({@link Shipped}): synthetic phrases in
 * {@code src/main/resources/audio/phrases} (made by its {@code make-phrases.sh}) and human recordings whose audio
 * loadtest's build converts from a package into {@value #HUMAN}.
 */
public record PhraseSet(String source, List<Phrase> phrases) {

    public static final String SHIPPED = "/audio/phrases/";
    public static final String INDEX = "phrases.tsv";
    /** The human recordings' folder on the classpath (audio converted by loadtest's build, manifest committed). */
    public static final String HUMAN = "/audio/human/";
    static final String HUMAN_PACKAGE = "pocketsphinx-testdata";

    /** The sets that ship with the client. */
    public enum Shipped {
        /** espeak-ng voices; the phrases the built-in assistant answers or repeats, chosen so Vosk hears them. */
        SYNTHETIC(SHIPPED, ""),
        /** Every transcribed recording of the Debian package pocketsphinx-testdata (the manifest says which). */
        HUMAN(PhraseSet.HUMAN, " (loadtest's build converts it from the Debian package " + HUMAN_PACKAGE
                + ": apt-get install " + HUMAN_PACKAGE + ", then build loadtest again)");

        private final String folder;
        private final String missingHint;

        Shipped(String folder, String missingHint) {
            this.folder = folder;
            this.missingHint = missingHint;
        }

        /** "synthetic", "human": the set's name on the command line and in reports. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String folder() {
            return folder;
        }

        /** What the error about a missing file adds: where the audio comes from. */
        String missingHint() {
            return missingHint;
        }

        public PhraseSet load() throws UnreadableAudioException {
            return classpath(folder, missingHint);
        }
    }

    /** One phrase: its file name (the phrase's label), what it says, and its audio. */
    public record Phrase(String name, String reference, SpeechAudio audio) {
    }

    /** One line of the index, before its audio is read. */
    public record Entry(int line, String file, String reference) {
    }

    /** Where a phrase's audio comes from, by file name. */
    @FunctionalInterface
    public interface AudioSource {
        SpeechAudio read(String file) throws UnreadableAudioException;
    }

    public PhraseSet {
        phrases = List.copyOf(phrases);
        if (phrases.isEmpty()) {
            throw new IllegalArgumentException(source + ": no phrases");
        }
    }

    public int size() {
        return phrases.size();
    }

    /** The first {@code count} phrases (all of them when there are no more), the source saying so. */
    public PhraseSet first(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        return count >= phrases.size() ? this
                : new PhraseSet(source + " (first " + count + " of " + phrases.size() + ")", phrases.subList(0, count));
    }

    /** The synthetic phrase set that ships with the client. */
    public static PhraseSet shipped() throws UnreadableAudioException {
        return Shipped.SYNTHETIC.load();
    }

    /** A phrase set on the classpath: {@code folder} (e.g. {@value #SHIPPED}) holds its index and WAV files. */
    public static PhraseSet classpath(String folder) throws UnreadableAudioException {
        return classpath(folder, "");
    }

    static PhraseSet classpath(String folder, String missingHint) throws UnreadableAudioException {
        return load("classpath:" + folder, name -> resource(folder, name, missingHint), file -> {
            try (InputStream in = new BufferedInputStream(resource(folder, file, missingHint))) {
                return WavReader.read(in, file);
            } catch (IOException e) {
                throw new UnreadableAudioException(folder + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** A phrase set in a directory: {@code dir/phrases.tsv} and the WAV files it names (any WAV the client reads). */
    public static PhraseSet directory(Path dir) throws UnreadableAudioException {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new UnreadableAudioException(dir + ": no " + INDEX + " (file name TAB reference text per line)");
        }
        return load(index.toString(), name -> Files.newInputStream(dir.resolve(name)),
                file -> WavReader.read(dir.resolve(file)));
    }

    private interface IndexSource {
        InputStream open(String name) throws IOException;
    }

    private static PhraseSet load(String source, IndexSource index, AudioSource audio)
            throws UnreadableAudioException {
        List<Entry> entries;
        try (Reader reader = new InputStreamReader(index.open(INDEX), StandardCharsets.UTF_8)) {
            entries = parse(reader, source);
        } catch (IOException e) {
            throw new UnreadableAudioException(source + ": cannot read " + INDEX + ": " + e.getMessage(), e);
        }
        return read(source, entries, audio);
    }

    /** Reads each entry's audio. */
    public static PhraseSet read(String source, List<Entry> entries, AudioSource audio)
            throws UnreadableAudioException {
        List<Phrase> phrases = new ArrayList<>();
        for (Entry entry : entries) {
            SpeechAudio pcm = audio.read(entry.file());
            if (pcm.samples() == 0) {
                throw new UnreadableAudioException(source + " line " + entry.line() + ": " + entry.file()
                        + " holds no audio");
            }
            phrases.add(new Phrase(entry.file(), entry.reference(), pcm));
        }
        if (phrases.isEmpty()) {
            throw new UnreadableAudioException(source + ": " + INDEX + " lists no phrases");
        }
        return new PhraseSet(source, phrases);
    }

    /**
     * Parses an index: {@code file TAB reference} per line. A line without a tab, with an empty file name or
     * reference, a file name that is not a plain {@code .wav} name, or a file listed twice is an error naming the
     * line.
     */
    public static List<Entry> parse(Reader index, String source) throws IOException, UnreadableAudioException {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ManifestLines.Line line : ManifestLines.read(index, source).lines()) {
            int tab = line.text().indexOf('\t');
            if (tab < 0) {
                throw new UnreadableAudioException(line.at() + "expected file name TAB reference text, found no tab");
            }
            String file = line.text().substring(0, tab).strip();
            String reference = line.text().substring(tab + 1).strip();
            if (file.isEmpty() || reference.isEmpty()) {
                throw new UnreadableAudioException(line.at()
                        + "the file name and the reference text must not be empty");
            }
            ManifestLines.checkFile(file, seen, line.at());
            entries.add(new Entry(line.number(), file, reference));
        }
        return entries;
    }

    private static InputStream resource(String folder, String name, String missingHint) throws IOException {
        InputStream in = PhraseSet.class.getResourceAsStream(folder + name);
        if (in == null) {
            throw new IOException(folder + name + " is missing from the build" + missingHint);
        }
        return in;
    }
}

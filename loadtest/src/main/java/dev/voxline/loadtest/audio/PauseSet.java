package dev.voxline.loadtest.audio;

import dev.voxline.contracts.audio.Pcm;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Set;

/**
 * Sentences with pauses inside them, to measure whether the agent waits for the end of a thought: a reply that starts
 * inside a listed pause is premature, and the time from the end of the speech to the reply is the end-of-turn delay.
 *
 * <p>Two sets ship, each a folder with a {@code pauses.tsv} manifest:
 * <ul>
 *   <li><b>human</b> ({@value #HUMAN}): real recordings, taken from packages at build time (nothing of them is
 *       committed): J. F. Kennedy's "ask not" (three long pauses, one of 590 ms), two excerpts of radio amateurs'
 *       8 kHz test recordings from codec2 (a 590 ms pause in counting, a 370 ms hesitation before a filler) and five
 *       fluent LibriVox sentences without pauses (a control: nothing to wait for);</li>
 *   <li><b>synthetic</b> ({@value #SYNTHETIC}): espeak-ng sentences with one or two pauses of 400–600 ms after an
 *       article, a preposition, a conjunction, a comma or "um", and some after a clause that sounds complete
 *       ("I need a taxi. … To the airport, please."), made by the folder's {@code make-pauses.sh}.</li>
 * </ul>
 *
 * <p>The manifest has one item a line: {@code file TAB reference text TAB pauses TAB source}, pauses as
 * {@code startMs+lengthMs} comma-separated (from the start of the file, in order), {@code -} for none; blank lines
 * and lines starting with {@code #} are ignored. A pause is silence inside the speech, measured on the file (the
 * manifests' headers say how).
 *
 * <p>For a benchmark of premature replies: stream {@link Item#pcm()} in real time, then silence, and note when the
 * first reply event or audio arrives, relative to the start of the stream. A reply before
 * {@link Item#durationMs()} is premature (the caller was still talking; one inside {@link Item#pauses()} answered a
 * pause); the end-of-turn delay is measured from {@link Item#speechEndMs()}. {@link Item#pausesAtLeast(long)} keeps
 * the pauses a VAD with that silence window ends a segment at (shorter ones never reach end-of-turn logic);
 * {@link Item#withPausesShortenedTo(long)} and {@link Item#withPauseLength(int, long)} edit pauses (the source then
 * says so).
 *
 * <pre>{@code
 * for (PauseSet.Item item : PauseSet.shipped().items()) {
 *     for (PauseSet.Pause pause : item.pausesAtLeast(300)) { ... pause.startMs(), pause.endMs() ... }
 * }
 * }</pre>
 */
public record PauseSet(List<Item> items) {

    /** The human recordings' folder on the classpath (audio converted by loadtest's build). */
    public static final String HUMAN = "/audio/human/";
    /** The synthetic sentences' folder on the classpath (committed audio). */
    public static final String SYNTHETIC = "/audio/pauses/";
    public static final String INDEX = "pauses.tsv";

    /** Who speaks: a person, or espeak-ng. */
    public enum Origin { HUMAN, SYNTHETIC }

    /** Silence inside the speech: from {@code startMs} (from the start of the file) for {@code lengthMs}. */
    public record Pause(long startMs, long lengthMs) {
        public Pause {
            if (startMs < 0 || lengthMs <= 0) {
                throw new IllegalArgumentException("a pause needs a start >= 0 and a length > 0: " + startMs
                        + "+" + lengthMs);
            }
        }

        public long endMs() {
            return startMs + lengthMs;
        }

        @Override
        public String toString() {
            return startMs + "+" + lengthMs;
        }
    }

    /**
     * One sentence.
     *
     * @param name      the file name, the item's label
     * @param reference what is said (what a word error rate compares the transcript with)
     * @param audio     16 kHz mono PCM16LE, with the file's own silence before and after the speech
     * @param pauses    the pauses inside the speech, in order; empty for a fluent sentence
     * @param origin    a human recording or synthetic speech
     * @param source    where the audio comes from and its licence (and any editing)
     */
    public record Item(String name, String reference, SpeechAudio audio, List<Pause> pauses, Origin origin,
                       String source) {

        public Item {
            pauses = List.copyOf(pauses);
        }

        public boolean human() {
            return origin == Origin.HUMAN;
        }

        /** The audio, 16 kHz mono PCM16LE. */
        public byte[] pcm() {
            return audio.pcm();
        }

        public long durationMs() {
            return audio.durationMs();
        }

        /** The pauses of at least {@code minMs}: those a VAD whose silence window is {@code minMs} hears as one. */
        public List<Pause> pausesAtLeast(long minMs) {
            return pauses.stream().filter(p -> p.lengthMs() >= minMs).toList();
        }

        /**
         * Where the speech ends: after the last three 10 ms frames in a row louder than max(noise floor + 8 dB,
         * speech level − 30 dB) — the rule the manifests' pauses were measured with, the noise floor being the 10th
         * and the speech level the 95th percentile of the frames' levels; a lone click does not count. The end of the
         * audio when it is never quiet.
         */
        public long speechEndMs() {
            return SpeechLevels.of(audio.pcm()).speechEndMs();
        }

        /**
         * This item with every pause longer than {@code maxMs} cut down to {@code maxMs} (see
         * {@link #withPauseLength(int, long)}); the item itself when no pause is longer.
         */
        public Item withPausesShortenedTo(long maxMs) {
            if (maxMs <= 0) {
                throw new IllegalArgumentException("maxMs must be positive: " + maxMs);
            }
            Item edited = this;
            for (int i = 0; i < pauses.size(); i++) {
                if (pauses.get(i).lengthMs() > maxMs) {
                    edited = edited.withPauseLength(i, maxMs);
                }
            }
            return edited == this ? this : edited.editedAs("pauses over " + maxMs + " ms shortened to " + maxMs
                    + " ms");
        }

        /**
         * This item with pause {@code index} (from 0) made {@code lengthMs} long: shortened by cutting audio out of
         * its middle, lengthened by repeating its middle (a recording's pause is not digital silence: what it holds
         * is its own noise). Later pauses move; the source says the recording was edited.
         */
        public Item withPauseLength(int index, long lengthMs) {
            Pause pause = pauses.get(index);
            if (lengthMs <= 0) {
                throw new IllegalArgumentException("lengthMs must be positive: " + lengthMs);
            }
            long deltaMs = lengthMs - pause.lengthMs();
            if (deltaMs == 0) {
                return this;
            }
            byte[] pcm = audio.pcm();
            int middle = byteOffset(pause.startMs() + pause.lengthMs() / 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.length + byteOffset(Math.max(0, deltaMs)));
            if (deltaMs < 0) {
                int cut = byteOffset(-deltaMs);
                int cutStart = middle - cut / 2 - (cut / 2) % 2;
                out.write(pcm, 0, cutStart);
                out.write(pcm, cutStart + cut, pcm.length - cutStart - cut);
            } else {
                // the pause's middle 100 ms (or all of it, when shorter), over and over
                int span = Math.min(byteOffset(100), byteOffset(pause.lengthMs()));
                int from = middle - span / 2 - (span / 2) % 2;
                out.write(pcm, 0, middle);
                for (int left = byteOffset(deltaMs); left > 0; left -= span) {
                    out.write(pcm, from, Math.min(span, left));
                }
                out.write(pcm, middle, pcm.length - middle);
            }
            List<Pause> moved = new ArrayList<>(pauses);
            moved.set(index, new Pause(pause.startMs(), lengthMs));
            for (int i = index + 1; i < moved.size(); i++) {
                moved.set(i, new Pause(moved.get(i).startMs() + deltaMs, moved.get(i).lengthMs()));
            }
            return new Item(name, reference, new SpeechAudio(out.toByteArray(), audio.source()), moved, origin,
                    source).editedAs("pause " + pause + " made " + lengthMs + " ms");
        }

        private Item editedAs(String edit) {
            String base = source.contains("; edited: ") ? source.substring(0, source.indexOf("; edited: ")) : source;
            return new Item(name, reference, audio, pauses, origin, base + "; edited: " + edit);
        }

        private static int byteOffset(long ms) {
            return (int) (ms * SpeechAudio.SAMPLE_RATE / 1000) * 2;
        }
    }

    /** One line of a manifest, before its audio is read. */
    public record Entry(int line, String file, String reference, List<Pause> pauses, String source) {
    }

    public PauseSet {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a pause set needs at least one item");
        }
    }

    /** Both shipped sets: the human recordings, then the synthetic sentences. */
    public static PauseSet shipped() throws UnreadableAudioException {
        List<Item> all = new ArrayList<>(shipped(Origin.HUMAN).items());
        all.addAll(shipped(Origin.SYNTHETIC).items());
        return new PauseSet(all);
    }

    /** One shipped set. */
    public static PauseSet shipped(Origin origin) throws UnreadableAudioException {
        String folder = origin == Origin.HUMAN ? HUMAN : SYNTHETIC;
        String hint = origin == Origin.HUMAN
                ? " (loadtest's build converts it from packages at generate-resources: run the Maven build)" : "";
        List<Entry> entries;
        try (Reader reader = new InputStreamReader(resource(folder + INDEX, hint), StandardCharsets.UTF_8)) {
            entries = parse(reader, "classpath:" + folder + INDEX);
        } catch (IOException e) {
            throw new UnreadableAudioException(folder + INDEX + ": " + e.getMessage(), e);
        }
        return read("classpath:" + folder, entries, origin, file -> {
            try (InputStream in = new BufferedInputStream(resource(folder + file, hint))) {
                return WavReader.read(in, folder + file);
            } catch (IOException e) {
                throw new UnreadableAudioException(e.getMessage(), e);
            }
        });
    }

    /** A set in a directory: {@code dir/pauses.tsv} and the WAV files it names (any WAV the client reads). */
    public static PauseSet directory(Path dir, Origin origin) throws UnreadableAudioException {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new UnreadableAudioException(dir + ": no " + INDEX
                    + " (file TAB reference text TAB pauses TAB source per line)");
        }
        List<Entry> entries;
        try (Reader reader = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
            entries = parse(reader, index.toString());
        } catch (IOException e) {
            throw new UnreadableAudioException(index + ": cannot read: " + e.getMessage(), e);
        }
        return read(index.toString(), entries, origin, file -> WavReader.read(dir.resolve(file)));
    }

    public List<Item> items(Origin origin) {
        return items.stream().filter(i -> i.origin() == origin).toList();
    }

    /** The item with this file name. */
    public Item item(String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no item " + name + " in the pause set"));
    }

    /**
     * Reads each entry's audio. A pause that does not end before the audio does is an error naming the line: the
     * manifest does not describe this file.
     */
    public static PauseSet read(String source, List<Entry> entries, Origin origin, PhraseSet.AudioSource audio)
            throws UnreadableAudioException {
        List<Item> items = new ArrayList<>();
        for (Entry entry : entries) {
            SpeechAudio pcm = audio.read(entry.file());
            if (pcm.samples() == 0) {
                throw new UnreadableAudioException(source + " line " + entry.line() + ": " + entry.file()
                        + " holds no audio");
            }
            for (Pause pause : entry.pauses()) {
                if (pause.endMs() >= pcm.durationMs()) {
                    throw new UnreadableAudioException(source + " line " + entry.line() + ": the pause " + pause
                            + " does not end before " + entry.file() + " does (" + pcm.durationMs() + " ms)");
                }
            }
            items.add(new Item(entry.file(), entry.reference(), pcm, entry.pauses(), origin, entry.source()));
        }
        if (items.isEmpty()) {
            throw new UnreadableAudioException(source + ": " + INDEX + " lists no items");
        }
        return new PauseSet(items);
    }

    /**
     * Parses a manifest. A line without four tab-separated fields, with an empty field, a file name that is not a
     * plain {@code .wav} name, a file listed twice, or pauses that are not {@code startMs+lengthMs} in order without
     * overlap is an error naming the line.
     */
    public static List<Entry> parse(Reader manifest, String source) throws IOException, UnreadableAudioException {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ManifestLines.Line line : ManifestLines.read(manifest, source).lines()) {
            String at = line.at();
            String[] fields = line.text().split("\t", -1);
            if (fields.length != 4) {
                throw new UnreadableAudioException(at + "expected file TAB reference text TAB pauses TAB source, found "
                        + fields.length + " field(s)");
            }
            String file = fields[0].strip();
            String reference = fields[1].strip();
            String pauses = fields[2].strip();
            String origin = fields[3].strip();
            if (file.isEmpty() || reference.isEmpty() || pauses.isEmpty() || origin.isEmpty()) {
                throw new UnreadableAudioException(at + "no field may be empty (pauses: '-' for none)");
            }
            ManifestLines.checkFile(file, seen, at);
            entries.add(new Entry(line.number(), file, reference, parsePauses(pauses, at), origin));
        }
        return entries;
    }

    static List<Pause> parsePauses(String text, String at) throws UnreadableAudioException {
        if (text.equals("-")) {
            return List.of();
        }
        List<Pause> pauses = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] startAndLength = part.strip().split("\\+");
            Pause pause;
            try {
                if (startAndLength.length != 2) {
                    throw new NumberFormatException();
                }
                pause = new Pause(Long.parseLong(startAndLength[0].strip()), Long.parseLong(startAndLength[1].strip()));
            } catch (IllegalArgumentException e) {
                throw new UnreadableAudioException(at + "'" + part.strip()
                        + "' is not a pause (startMs+lengthMs, a length above 0)");
            }
            if (!pauses.isEmpty() && pause.startMs() <= pauses.get(pauses.size() - 1).endMs()) {
                throw new UnreadableAudioException(at + "the pause " + pause + " starts before the one before it ends");
            }
            pauses.add(pause);
        }
        return pauses;
    }

    private static InputStream resource(String name, String hint) throws IOException {
        InputStream in = PauseSet.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from the build" + hint);
        }
        return in;
    }

    /** 10 ms frame levels of PCM16LE audio, for where its speech ends. */
    /** Where the speech in 16 kHz PCM16 ends, by the rule of {@link Item#speechEndMs()}. */
    public static long speechEndMs(byte[] pcm) {
        return SpeechLevels.of(pcm).speechEndMs();
    }

    record SpeechLevels(double[] frameDb) {

        static final int FRAME_MS = 10;
        /** A click is not speech: speech is at least this many loud frames in a row. */
        static final int MIN_SPEECH_FRAMES = 3;

        static SpeechLevels of(byte[] pcm) {
            int frameBytes = SpeechAudio.SAMPLE_RATE / 1000 * FRAME_MS * 2;
            int frames = pcm.length / frameBytes;
            double[] db = new double[frames];
            for (int f = 0; f < frames; f++) {
                db[f] = Pcm.rmsDbfs(java.util.Arrays.copyOfRange(pcm, f * frameBytes, (f + 1) * frameBytes));
            }
            return new SpeechLevels(db);
        }

        long speechEndMs() {
            if (frameDb.length == 0) {
                return 0;
            }
            double[] sorted = frameDb.clone();
            java.util.Arrays.sort(sorted);
            double floor = sorted[(int) Math.floor(0.10 * (sorted.length - 1))];
            double speech = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
            double threshold = Math.max(floor + 8, speech - 30);
            int run = 0;
            for (int f = frameDb.length - 1; f >= 0; f--) {
                run = frameDb[f] > threshold ? run + 1 : 0;
                if (run == MIN_SPEECH_FRAMES) {
                    return (f + (long) MIN_SPEECH_FRAMES) * FRAME_MS;
                }
            }
            return (long) frameDb.length * FRAME_MS;
        }

        /** The mean level (dBFS) of the frames from {@code fromMs} to {@code toMs}. */
        double levelDb(long fromMs, long toMs) {
            int from = (int) Math.max(0, fromMs / FRAME_MS);
            int to = (int) Math.min(frameDb.length, toMs / FRAME_MS);
            double power = 0;
            for (int f = from; f < to; f++) {
                power += Math.pow(10, frameDb[f] / 10);
            }
            return to > from ? 10 * Math.log10(power / (to - from)) : Double.NEGATIVE_INFINITY;
        }
    }
}

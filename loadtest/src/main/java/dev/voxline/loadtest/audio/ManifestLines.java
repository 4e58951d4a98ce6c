package dev.voxline.loadtest.audio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The lines of a spoken set's tab-separated manifest ({@code phrases.tsv}, {@code pauses.tsv}) that say something:
 * numbered from 1, a leading byte-order mark dropped, blank lines and {@code #} comments skipped.
 */
record ManifestLines(List<Line> lines) {

    /** One line: {@code at} ("source line N: ") starts every error about it. */
    record Line(int number, String at, String text) {
    }

    static ManifestLines read(Reader manifest, String source) throws IOException {
        List<Line> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(manifest);
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(new Line(number, source + " line " + number + ": ", line));
            }
        }
        return new ManifestLines(List.copyOf(lines));
    }

    /** A plain {@code .wav} name in the manifest's directory, not listed before ({@code seen} collects them). */
    static void checkFile(String file, Set<String> seen, String at) throws UnreadableAudioException {
        if (!file.toLowerCase(Locale.ROOT).endsWith(".wav") || file.contains("/") || file.contains("\\")) {
            throw new UnreadableAudioException(at + "'" + file + "' is not a .wav file name in the same directory");
        }
        if (!seen.add(file)) {
            throw new UnreadableAudioException(at + file + " is listed twice");
        }
    }
}

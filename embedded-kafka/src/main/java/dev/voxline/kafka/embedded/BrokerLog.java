package dev.voxline.kafka.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code broker.log}: the stdout and stderr of every child JVM on one data dir, appended to. A failure
 * is told with the log's own words: its error lines first (the cause, which a long shutdown sequence
 * would push out of a plain tail), then its last lines.
 */
final class BrokerLog {

    private static final int TAIL_LINES = 30;
    private static final int ERROR_LINES = 8;
    private static final int MAX_READ = 256 * 1024;
    private static final int MAX_LINE = 400;

    private final Path file;

    BrokerLog(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** A mark: what is appended after it belongs to the step that follows. */
    long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    void note(String line) throws IOException {
        Files.writeString(file, "# " + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The log from {@code mark} on, at most its last 256 KiB. */
    String readFrom(long mark) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(mark, in.length() - MAX_READ);
            byte[] bytes = new byte[(int) Math.max(0, in.length() - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    EmbeddedKafkaException failure(String summary, long mark, Throwable cause) {
        return failure(summary, readFrom(mark), cause);
    }

    EmbeddedKafkaException failure(String summary, String logText, Throwable cause) {
        List<String> lines = logText.lines().toList();
        List<String> errors = lines.stream()
                .filter(l -> l.contains(" ERROR ") || l.contains(" FATAL ") || l.startsWith("Error")
                        || l.startsWith("Exception") || l.contains("Exception: "))
                .limit(ERROR_LINES)
                .map(BrokerLog::clip)
                .toList();
        StringBuilder message = new StringBuilder(summary).append(". Broker log: ").append(file);
        if (!errors.isEmpty()) {
            message.append("\n--- errors in the broker log ---\n").append(String.join("\n", errors));
        }
        if (!lines.isEmpty()) {
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            message.append("\n--- last ").append(tail.size()).append(" lines of the broker log ---\n")
                    .append(String.join("\n", tail.stream().map(BrokerLog::clip).toList()));
        }
        return new EmbeddedKafkaException(message.toString(), cause);
    }

    private static String clip(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + " …";
    }
}

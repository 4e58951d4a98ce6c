package dev.voxline.kafka.embedded;

/**
 * The embedded broker could not be found, formatted, started or made ready. The message says which,
 * and carries the tail of the broker log when the child JVM got that far.
 */
public class EmbeddedKafkaException extends RuntimeException {

    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}

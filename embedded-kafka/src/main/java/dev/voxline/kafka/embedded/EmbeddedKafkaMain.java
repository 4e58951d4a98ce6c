package dev.voxline.kafka.embedded;

import java.nio.file.Path;

/**
 * Starts one embedded broker, prints {@code bootstrap=127.0.0.1:PORT} and runs until killed (the
 * shutdown hook stops the broker) or until the broker dies. For kcat and other manual debugging:
 *
 * <pre>
 * java -cp embedded-kafka.jar:kafka-clients.jar:… dev.voxline.kafka.embedded.EmbeddedKafkaMain \
 *      [--port 9092] [--data-dir ./kafka-data] [--heap-mb 512]
 * </pre>
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                System.out.println("usage: EmbeddedKafkaMain [--port N] [--controller-port N] [--data-dir DIR] [--heap-mb N]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--controller-port" -> builder.controllerPort(Integer.parseInt(value));
                case "--data-dir" -> builder.dataDir(Path.of(value));
                case "--heap-mb" -> builder.heapMb(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }

        EmbeddedKafkaBroker broker = builder.build().start();
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.println("pid=" + broker.pid());
        System.out.println("log=" + broker.logFile());
        System.out.println("startup_ms=" + broker.startupMillis() + " (format " + broker.formatMillis() + ")");
        System.out.flush();
        broker.onExit().join();
        if (!broker.closeRequested()) {
            System.err.println("the Kafka broker exited by itself; see " + broker.logFile());
            System.exit(1);
        }
    }
}

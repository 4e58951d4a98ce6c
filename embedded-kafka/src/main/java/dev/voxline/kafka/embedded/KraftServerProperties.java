package dev.voxline.kafka.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server.properties of a single combined-mode (broker + controller) KRaft node on loopback. */
final class KraftServerProperties {

    static final String HOST = "127.0.0.1";

    private KraftServerProperties() {
    }

    static Map<String, String> combinedNode(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A static voter set, not a dynamic quorum (format --standalone): the controller's address is then
        // configuration, not metadata, so a reused data dir can come back on fresh ports.
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "12");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        // 50 by default: creating them all delays the first consumer group on a 2-core machine
        p.put("offsets.topic.num.partitions", "12");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the log cleaner allocates and zeroes its whole dedupe buffer at start: 128 MiB by default costs
        // ~0.8 s and as much heap; 8 MiB still indexes ~300k keys per compaction pass
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    static void write(Map<String, String> properties, Path file) throws IOException {
        StringBuilder text = new StringBuilder("# written by dev.voxline.kafka.embedded.EmbeddedKafkaBroker\n");
        properties.forEach((k, v) -> text.append(escape(k)).append('=').append(escape(v)).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Everything at INFO to stdout, which the parent sends to broker.log. */
    static void writeLog4j2(Path file) throws IOException {
        Files.writeString(file, """
                status = warn
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = info
                rootLogger.appenderRef.out.ref = out
                # the broker's inner clients dump their whole config at INFO
                logger.clients.name = org.apache.kafka.clients
                logger.clients.level = warn
                """, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}

package dev.voxline.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start a {@link LocalStack}. Start from {@link #defaults()} ({@code ./voxline up}) or {@link #forTests()} and
 * change what you need with the {@code with…} methods.
 *
 * @param gatewayPort       the gateway's HTTP / WebSocket port; 0 picks a free one
 * @param randomPorts       every other service on a free port too (so a stack never collides with another)
 * @param bootstrapServers  an external broker to use; null starts the embedded KRaft broker
 * @param dataDir           the embedded broker's data directory; null: a fresh temporary one, deleted on close
 * @param wipeDataDir       delete the broker's partitions in {@code dataDir} before starting (a fresh broker)
 * @param allowTestSettings let clients set simulated-engine timings and faults ({@code voxline.gateway.allow-test-settings})
 * @param configureLogging  configure logging for one JVM of services (lines tagged by service); off to keep the
 *                          host's own logging setup
 * @param readyTimeout      how long to wait for every service's health to be UP
 * @param properties        extra properties for every service context (as command-line arguments, so they win)
 * @param transport         Kafka (default) or in-process (no broker, no metrics-service)
 */
public record LocalStackOptions(
        int gatewayPort,
        boolean randomPorts,
        String bootstrapServers,
        Path dataDir,
        boolean wipeDataDir,
        boolean allowTestSettings,
        boolean configureLogging,
        Duration readyTimeout,
        Map<String, String> properties,
        Transport transport) {

    /** How the services talk: through the Kafka broker (the product), or in memory (the benchmark's baseline). */
    public enum Transport {
        /** Every hop through a Kafka broker (embedded or external). */
        KAFKA,
        /**
         * No broker: every service context shares one {@code InProcessVoiceTransport} (in-memory queues), the
         * single-process wiring LiveKit Agents and Pipecat users live with. metrics-service (Spring Cloud Stream on
         * Kafka) does not run, so no {@code turn.metrics} are reported.
         */
        IN_PROCESS
    }

    public LocalStackOptions {
        if (gatewayPort < 0 || gatewayPort > 65535) {
            throw new IllegalArgumentException("not a port: " + gatewayPort);
        }
        properties = Map.copyOf(properties);
        transport = transport != null ? transport : Transport.KAFKA;
    }

    /** What {@code ./voxline up} runs: fixed ports 8080–8085, embedded broker in {@code ./.voxline/kafka}, wiped. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(8080, false, null, Path.of(".voxline", "kafka"), true, false, true,
                Duration.ofSeconds(90), Map.of(), Transport.KAFKA);
    }

    /** Free ports everywhere, a temporary broker, test settings allowed. */
    public static LocalStackOptions forTests() {
        return new LocalStackOptions(0, true, null, null, false, true, true, Duration.ofSeconds(120), Map.of(),
                Transport.KAFKA);
    }

    public LocalStackOptions withGatewayPort(int port) {
        return new LocalStackOptions(port, randomPorts, bootstrapServers, dataDir, wipeDataDir, allowTestSettings,
                configureLogging, readyTimeout, properties, transport);
    }

    public LocalStackOptions withRandomPorts(boolean random) {
        return new LocalStackOptions(gatewayPort, random, bootstrapServers, dataDir, wipeDataDir, allowTestSettings,
                configureLogging, readyTimeout, properties, transport);
    }

    /** Use this broker instead of starting the embedded one. */
    public LocalStackOptions withBootstrapServers(String servers) {
        return new LocalStackOptions(gatewayPort, randomPorts, servers, dataDir, wipeDataDir, allowTestSettings,
                configureLogging, readyTimeout, properties, transport);
    }

    public LocalStackOptions withDataDir(Path dir) {
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dir, wipeDataDir, allowTestSettings,
                configureLogging, readyTimeout, properties, transport);
    }

    public LocalStackOptions withAllowTestSettings(boolean allow) {
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dataDir, wipeDataDir, allow,
                configureLogging, readyTimeout, properties, transport);
    }

    public LocalStackOptions withConfigureLogging(boolean configure) {
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dataDir, wipeDataDir,
                allowTestSettings, configure, readyTimeout, properties, transport);
    }

    public LocalStackOptions withReadyTimeout(Duration timeout) {
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dataDir, wipeDataDir,
                allowTestSettings, configureLogging, timeout, properties, transport);
    }

    /** Adds one property for every service context. */
    public LocalStackOptions withProperty(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(properties);
        more.put(key, value);
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dataDir, wipeDataDir,
                allowTestSettings, configureLogging, readyTimeout, more, transport);
    }

    public LocalStackOptions withTransport(Transport newTransport) {
        return new LocalStackOptions(gatewayPort, randomPorts, bootstrapServers, dataDir, wipeDataDir,
                allowTestSettings, configureLogging, readyTimeout, properties, newTransport);
    }

    boolean inProcess() {
        return transport == Transport.IN_PROCESS;
    }

    boolean embeddedBroker() {
        return !inProcess() && (bootstrapServers == null || bootstrapServers.isBlank());
    }
}

package dev.voxline.kafka.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Waits until the broker really serves clients: its port accepts, the cluster describes itself with
 * the id this broker's storage was formatted with (not some other server that holds the port), a
 * probe topic can be created and a record written to it is acknowledged. Between every step it checks
 * that the child is still alive, so a broker that dies is reported at once, not at the timeout.
 */
final class BrokerReadiness {

    static final String PROBE_TOPIC = "__voxline_probe";
    private static final Duration SLICE = Duration.ofMillis(100);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    /** Thrown when the child process is gone; carries its exit code. */
    static final class BrokerExited extends Exception {
        final int exitCode;

        BrokerExited(int exitCode) {
            super("the broker process exited with code " + exitCode);
            this.exitCode = exitCode;
        }
    }

    private final Process process;
    private final String host;
    private final int port;
    private final String clusterId;
    private final long deadlineNanos;
    private long portOpenNanos;

    BrokerReadiness(Process process, String host, int port, String clusterId, long deadlineNanos) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.clusterId = clusterId;
        this.deadlineNanos = deadlineNanos;
    }

    void await() throws BrokerExited, TimeoutException, InterruptedException, ExecutionException {
        // clients started before the port is open retry in a tight loop and log every attempt
        awaitPort(port);
        portOpenNanos = System.nanoTime();
        String bootstrap = host + ":" + port;
        // closed without waiting: after a failure the calls still pending would hold start() for their timeout
        Admin admin = Admin.create(clientConfig(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000)));
        try {
            String answeringCluster = await("the broker to describe the cluster", () -> admin.describeCluster().clusterId());
            if (!clusterId.equals(answeringCluster)) {
                throw new IllegalStateException(bootstrap + " is answered by Kafka cluster " + answeringCluster
                        + ", not by this broker (cluster " + clusterId + "): another server owns the port");
            }
            await("creation of topic " + PROBE_TOPIC,
                    () -> admin.createTopics(List.of(new NewTopic(PROBE_TOPIC, 1, (short) 1))).all(),
                    TopicExistsException.class);
        } finally {
            admin.close(Duration.ZERO);
        }
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clientConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1, remaining().toMillis()))),
                new ByteArraySerializer(), new ByteArraySerializer());
        try {
            byte[] value = ("ready " + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
            await("the first acknowledged write to " + PROBE_TOPIC,
                    () -> producer.send(new ProducerRecord<>(PROBE_TOPIC, value)));
        } finally {
            producer.close(Duration.ZERO);
        }
    }

    private static Map<String, Object> clientConfig(Map<String, Object> specific) {
        Map<String, Object> config = new HashMap<>(Map.of(
                CommonClientConfigs.CLIENT_ID_CONFIG, "voxline-embedded-kafka-probe",
                CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, 20,
                CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250,
                CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG, 20,
                CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, 250,
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
        config.putAll(specific);
        return config;
    }

    /** When the broker's client port first accepted a connection. */
    long portOpenNanos() {
        return portOpenNanos;
    }

    private void awaitPort(int port) throws BrokerExited, TimeoutException, InterruptedException {
        while (true) {
            checkAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) SLICE.toMillis());
                return;
            } catch (IOException notYet) {
                checkDeadline("port " + port + " to accept connections");
                Thread.sleep(25);
            }
        }
    }

    /**
     * Polls one client call in short slices, retrying it after retriable failures until the deadline.
     * A failure of one of the {@code accepted} types counts as success.
     */
    @SafeVarargs
    private <T> T await(String what, Supplier<Future<T>> call, Class<? extends Throwable>... accepted)
            throws BrokerExited, TimeoutException, InterruptedException, ExecutionException {
        ExecutionException lastFailure = null;
        while (true) {
            Future<T> future = call.get();
            while (true) {
                checkAlive();
                try {
                    return future.get(SLICE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException slice) {
                    if (remaining().isNegative()) {
                        future.cancel(true);
                        throw timeout(what, lastFailure);
                    }
                } catch (ExecutionException failure) {
                    for (Class<? extends Throwable> ok : accepted) {
                        if (ok.isInstance(failure.getCause())) {
                            return null;
                        }
                    }
                    if (!(failure.getCause() instanceof RetriableException)) {
                        // waiting longer will not change the answer: say it now
                        throw failure;
                    }
                    lastFailure = failure;
                    break;
                }
            }
            if (remaining().isNegative()) {
                throw timeout(what, lastFailure);
            }
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
    }

    private void checkAlive() throws BrokerExited {
        if (!process.isAlive()) {
            throw new BrokerExited(process.exitValue());
        }
    }

    private void checkDeadline(String what) throws TimeoutException {
        if (remaining().isNegative()) {
            throw new TimeoutException("timed out waiting for " + what);
        }
    }

    private Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    private static TimeoutException timeout(String what, ExecutionException lastFailure) {
        TimeoutException e = new TimeoutException("timed out waiting for " + what
                + (lastFailure == null ? "" : " (last failure: " + lastFailure.getCause() + ")"));
        if (lastFailure != null) {
            e.initCause(lastFailure.getCause());
        }
        return e;
    }
}

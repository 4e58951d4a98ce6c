package dev.voxline.loadtest.overhead;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The floor of benchmark 1: a chain of plain kafka-clients with the pipeline's five critical-path hops (gateway→vad
 * audio frame, vad→stt {@code speech.ended}, stt→llm {@code transcript.final}, llm→tts the first clause, tts→gateway
 * a reply audio chunk; sizes and headers in {@link ChainHop}), on its own topics on the given broker, with
 * the pipeline's own client settings ({@link KafkaClientSettings}; {@link ChainOptions} may change linger, fetch wait and partitions to attack the floor): one
 * producer per service, one poll thread per hop, the four stage hops in consumer groups subscribed (like a stage)
 * to their topic plus a control topic, the last hop read with {@code assign()} on three downlink partitions like a
 * gateway. It runs in a JVM of its own launched with the stack's JVM options and class path
 * ({@link ChainProcess}), so voice-kafka and kafka-clients are the stack's own.
 *
 * <p>From {@link #open} to {@link #close} the first hop carries a talking caller's audio: a 640 B frame every
 * 20 ms. {@link #probe} makes the next frame a probe, which each hop's consumer forwards on the next hop as soon as
 * it polls it, and waits until it has travelled all five hops. Each hop's delay is measured as the pipeline
 * measures it: the consumer's poll time minus the send-time header ({@code vox-sent-us}, wall-clock µs, set just
 * before {@code send()}). The topics are created at open ({@code bench.chain.<run>.*}) and deleted at close.
 */
public final class PlainKafkaChain implements AutoCloseable {

    /** The downlink partitions one gateway reads (voxline.kafka.partitions-per-gateway). */
    static final List<Integer> GATEWAY_PARTITIONS = List.of(0, 1, 2);
    static final Duration FRAME = Duration.ofMillis(20);
    /** voice-kafka's PollLoop polls with this timeout. */
    static final int POLL_MILLIS = 200;
    private static final String PROBE_HEADER = "bench-probe";
    private static final String[] SERVICES = {"gateway", "vad", "stt", "llm", "tts"};

    private final String bootstrapServers;
    private final ChainOptions options;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String sessionId = Ids.sessionId();
    private final List<ChainHop> hops = ChainHop.forSession(sessionId, GATEWAY_PARTITIONS.get(0));
    private final List<String> topics = new ArrayList<>();
    private final String control = "bench.chain." + run + ".control";
    private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
    private final List<Hop> consumers = new ArrayList<>();
    private final Map<Long, Probe> inFlight = new ConcurrentHashMap<>();
    private final AtomicReference<Probe> next = new AtomicReference<>();
    private final AtomicLong background = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "chain-caller");
        thread.setDaemon(true);
        return thread;
    });
    private Admin admin;

    private record Probe(long id, double[] delays, CompletableFuture<double[]> done) {
    }

    public PlainKafkaChain(String bootstrapServers, ChainOptions options) {
        this.bootstrapServers = bootstrapServers;
        this.options = options;
        for (int i = 0; i < hops.size(); i++) {
            topics.add("bench.chain." + run + "." + i);
        }
    }

    public List<ChainHop> hops() {
        return hops;
    }

    /** Background frames the first hop's consumer received so far. */
    public long background() {
        return background.get();
    }

    /** Creates the topics, starts the clients and the caller's audio; returns once every consumer is ready. */
    public PlainKafkaChain open() throws InterruptedException {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        List<NewTopic> specs = new ArrayList<>();
        for (String topic : all()) {
            // the last hop's consumer reads three downlink partitions, as a gateway does
            int count = topic.equals(topics.get(hops.size() - 1))
                    ? Math.max(options.partitions(), GATEWAY_PARTITIONS.size()) : options.partitions();
            specs.add(new NewTopic(topic, count, (short) 1));
        }
        try {
            admin.createTopics(specs).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the plain chain's topics on " + bootstrapServers + ": " + e, e);
        }
        int hopCount = hops.size();
        for (String service : SERVICES) {
            producers.add(new KafkaProducer<>(KafkaClientSettings.producer(bootstrapServers,
                    "bench-chain-" + service + "-producer", options.lingerMs())));
        }
        for (int i = 0; i < hopCount; i++) {
            int hop = i;
            String consumerOf = i + 1 < hopCount ? SERVICES[i + 1] : SERVICES[0];
            HopHandler handler = (record, polledMicros) -> onRecord(hop, record, polledMicros);
            String clientId = "bench-chain-" + consumerOf + "-" + run;
            Hop consumer = i + 1 < hopCount
                    ? Hop.grouped(groupConsumer(clientId, clientId), List.of(topics.get(i), control), handler)
                    : Hop.assigned(assignedConsumer(clientId + "-assigned"), topics.get(i), GATEWAY_PARTITIONS,
                    handler);
            consumers.add(consumer);
        }
        for (Hop consumer : consumers) {
            if (!consumer.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the chain's consumers got no partitions within 60 s");
            }
        }
        for (int i = 0; i < hopCount; i++) {
            producers.get(i).partitionsFor(topics.get(i)); // metadata now, not on the first probe
        }
        caller.scheduleAtFixedRate(() -> send(producers.get(0), topics.get(0), null, hops.get(0),
                next.getAndSet(null)), 0, FRAME.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * The next audio frame is a probe; returns its five hop delays (ms) once it is back, or null when it did not
     * come back within {@code timeout}.
     */
    public double[] probe(Duration timeout) throws InterruptedException {
        Probe probe = new Probe(probes.getAndIncrement(), new double[hops.size()], new CompletableFuture<>());
        inFlight.put(probe.id(), probe);
        next.set(probe);
        try {
            return probe.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } finally {
            inFlight.remove(probe.id());
            next.compareAndSet(probe, null);
        }
    }

    private void onRecord(int hop, ConsumerRecord<String, byte[]> record, long polledMicros) {
        String probeHeader = header(record, PROBE_HEADER);
        if (probeHeader == null) {
            background.incrementAndGet();
            return;
        }
        Probe probe = inFlight.get(Long.parseLong(probeHeader));
        if (probe == null) {
            return;
        }
        long sent = Long.parseLong(header(record, VoxHeaders.SENT_US));
        probe.delays()[hop] = (polledMicros - sent) / 1000.0;
        if (hop + 1 < hops.size()) {
            send(producers.get(hop + 1), topics.get(hop + 1), hop + 1 == hops.size() - 1
                    ? GATEWAY_PARTITIONS.get(0) : null, hops.get(hop + 1), probe);
        } else {
            probe.done().complete(probe.delays().clone());
        }
    }

    /** Stops the audio and the clients and deletes the chain's topics. */
    @Override
    public void close() {
        caller.shutdownNow();
        consumers.forEach(Hop::close);
        producers.forEach(p -> p.close(Duration.ofSeconds(2)));
        if (admin != null) {
            try {
                admin.deleteTopics(all()).all().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the broker is a benchmark's own, wiped at its next start
            }
            admin.close(Duration.ofSeconds(5));
        }
    }

    private List<String> all() {
        List<String> all = new ArrayList<>(topics);
        all.add(control);
        return all;
    }

    /** A stage's consumer, from the one place the pipeline's consumers come from, with the floor's fetch option. */
    private Properties groupConsumer(String clientId, String groupId) {
        return withFetchOption(KafkaClientSettings.groupConsumer(bootstrapServers, clientId, groupId));
    }

    /** The gateway's downlink consumer ({@code assign()}), likewise. */
    private Properties assignedConsumer(String clientId) {
        return withFetchOption(KafkaClientSettings.assignedConsumer(bootstrapServers, clientId));
    }

    private Properties withFetchOption(Properties config) {
        if (options.fetchMaxWaitMs() != null) {
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, options.fetchMaxWaitMs());
        }
        return config;
    }

    /** As KafkaVoiceTransport sends: key = session, the hop's headers, the send time last, just before send(). */
    private void send(KafkaProducer<String, byte[]> producer, String topic, Integer partition, ChainHop hop,
                      Probe probe) {
        RecordHeaders headers = new RecordHeaders();
        hop.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        if (probe != null) {
            headers.add(PROBE_HEADER, Long.toString(probe.id()).getBytes(StandardCharsets.UTF_8));
        }
        headers.add(VoxHeaders.SENT_US, Long.toString(micros()).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, partition, sessionId, hop.value(), headers));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** voice-kafka's WallClock.micros(): wall-clock epoch microseconds. */
    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @FunctionalInterface
    private interface HopHandler {
        void onRecord(ConsumerRecord<String, byte[]> record, long polledMicros);
    }

    /** One hop's consumer on its own thread, polling as voice-kafka's PollLoop does. */
    private static final class Hop {
        private final KafkaConsumer<String, byte[]> consumer;
        private final HopHandler handler;
        private final boolean grouped;
        private final Thread thread;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean running = true;

        private Hop(Properties config, boolean grouped, HopHandler handler) {
            this.consumer = new KafkaConsumer<>(config);
            this.grouped = grouped;
            this.handler = handler;
            this.thread = new Thread(this::run, "chain-" + config.getProperty("client.id"));
            this.thread.setDaemon(true);
        }

        static Hop grouped(Properties config, List<String> topics, HopHandler handler) {
            Hop hop = new Hop(config, true, handler);
            hop.consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // auto-commit commits before a rebalance
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(hop.consumer::position);
                    if (!partitions.isEmpty()) {
                        hop.ready.countDown();
                    }
                }
            });
            hop.thread.start();
            return hop;
        }

        static Hop assigned(Properties config, String topic, List<Integer> partitions, HopHandler handler) {
            Hop hop = new Hop(config, false, handler);
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            hop.consumer.assign(assigned);
            hop.consumer.seekToEnd(assigned);
            hop.thread.start();
            return hop;
        }

        boolean awaitReady(Duration timeout) throws InterruptedException {
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void run() {
            try {
                if (!grouped) {
                    consumer.assignment().forEach(consumer::position);
                    ready.countDown();
                }
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(
                            Duration.ofMillis(POLL_MILLIS));
                    if (records.isEmpty()) {
                        continue;
                    }
                    long polled = micros();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handler.onRecord(record, polled);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                try {
                    consumer.close(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    // closing anyway
                }
                stopped.countDown();
            }
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

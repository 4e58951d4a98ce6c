package dev.voxline.loadtest.overhead;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.VoxHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 * a reply audio chunk; sizes and headers in {@link ChainHop}), on its own topics on the given broker, with exactly
 * KafkaVoiceTransport's client settings ({@link ChainSettings}): one producer per service, one poll thread per hop,
 * the four stage hops in consumer groups subscribed (like a stage) to their topic plus a control topic with the
 * pipeline's partition count, the last hop read with {@code assign()} on three downlink partitions like a gateway.
 *
 * <p>While it runs, the first hop carries a talking caller's audio: a 640 B frame every 20 ms; every fifth frame is
 * a probe, which each hop's consumer forwards on the next hop as soon as it polls it, so a probe leaves every
 * ~100 ms and travels all five hops. Each hop's delay is measured as the pipeline measures it: the consumer's poll
 * time minus the send-time header ({@code vox-sent-us}, wall-clock µs, set just before {@code send()}). The
 * topics are created at start ({@code bench.chain.<run>.*}) and deleted at the end.
 */
public final class PlainKafkaChain {

    /** The pipeline's partition count of session-keyed topics (voxline.kafka.partitions). */
    static final int PARTITIONS = 12;
    /** The downlink partitions one gateway reads (voxline.kafka.partitions-per-gateway) … */
    static final List<Integer> GATEWAY_PARTITIONS = List.of(0, 1, 2);
    /** … of the whole downlink (4 × 3). */
    static final int DOWNLINK_PARTITIONS = 12;
    static final Duration FRAME = Duration.ofMillis(20);
    static final int FRAMES_PER_PROBE = 5;
    private static final String PROBE_HEADER = "bench-probe";
    private static final String[] SERVICES = {"gateway", "vad", "stt", "llm", "tts"};

    private final String bootstrapServers;

    public PlainKafkaChain(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Sends {@code warmup + probes} probes (one every 100 ms, among 50 audio frames/s) and returns the measured
     * ones. {@code progress} hears the number of measured probes back so far.
     */
    public ChainResult run(int probes, int warmup, IntConsumer progress) {
        String run = Long.toString(System.currentTimeMillis(), 36);
        String sessionId = Ids.sessionId();
        int downlinkPartition = GATEWAY_PARTITIONS.get(0);
        List<ChainHop> hops = ChainHop.forSession(sessionId, downlinkPartition);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            topics.add("bench.chain." + run + "." + i);
        }
        String control = "bench.chain." + run + ".control";
        List<String> all = new ArrayList<>(topics);
        all.add(control);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            List<NewTopic> specs = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                int count = i == hops.size() - 1 ? DOWNLINK_PARTITIONS : PARTITIONS;
                specs.add(new NewTopic(all.get(i), count, (short) 1));
            }
            admin.createTopics(specs).all().get(30, TimeUnit.SECONDS);
            try {
                return measure(run, sessionId, hops, topics, control, probes, warmup, progress);
            } finally {
                admin.deleteTopics(all).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the plain chain on " + bootstrapServers + " failed: " + e, e);
        }
    }

    private ChainResult measure(String run, String sessionId, List<ChainHop> hops, List<String> topics,
                                String control, int probes, int warmup, IntConsumer progress)
            throws InterruptedException {
        int hopCount = hops.size();
        List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
        List<Hop> consumers = new ArrayList<>();
        Map<Long, double[]> inFlight = new ConcurrentHashMap<>();
        List<double[]> measured = java.util.Collections.synchronizedList(new ArrayList<>());
        int total = warmup + probes;
        CountDownLatch done = new CountDownLatch(total);
        AtomicLong background = new AtomicLong();
        ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "chain-caller");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (String service : SERVICES) {
                producers.add(new KafkaProducer<>(ChainSettings.producer(bootstrapServers,
                        "bench-chain-" + service + "-producer")));
            }
            for (int i = 0; i < hopCount; i++) {
                int hop = i;
                String consumerOf = i + 1 < hopCount ? SERVICES[i + 1] : SERVICES[0];
                HopHandler handler = (record, polledMicros) -> {
                    String probeHeader = header(record, PROBE_HEADER);
                    if (probeHeader == null) {
                        background.incrementAndGet();
                        return;
                    }
                    long probe = Long.parseLong(probeHeader);
                    double[] delays = inFlight.get(probe);
                    if (delays == null) {
                        return;
                    }
                    long sent = Long.parseLong(header(record, VoxHeaders.SENT_US));
                    delays[hop] = (polledMicros - sent) / 1000.0;
                    if (hop + 1 < hopCount) {
                        send(producers.get(hop + 1), topics.get(hop + 1), hop + 1 == hopCount - 1
                                ? GATEWAY_PARTITIONS.get(0) : null, sessionId, hops.get(hop + 1), probe);
                    } else {
                        inFlight.remove(probe);
                        if (probe >= warmup) {
                            measured.add(delays);
                            progress.accept(measured.size());
                        }
                        done.countDown();
                    }
                };
                Hop consumer = i + 1 < hopCount
                        ? Hop.grouped(ChainSettings.groupConsumer(bootstrapServers, "bench-chain-" + consumerOf
                        + "-" + run, "bench-chain-" + consumerOf + "-" + run), List.of(topics.get(i), control),
                        handler)
                        : Hop.assigned(ChainSettings.assignedConsumer(bootstrapServers, "bench-chain-gateway-"
                        + run + "-assigned"), topics.get(i), GATEWAY_PARTITIONS, handler);
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
            AtomicLong frames = new AtomicLong();
            caller.scheduleAtFixedRate(() -> {
                long frame = frames.getAndIncrement();
                Long probe = null;
                if (frame % FRAMES_PER_PROBE == 0 && frame / FRAMES_PER_PROBE < total) {
                    probe = frame / FRAMES_PER_PROBE;
                    inFlight.put(probe, new double[hopCount]);
                }
                send(producers.get(0), topics.get(0), null, sessionId, hops.get(0), probe);
            }, 0, FRAME.toNanos(), TimeUnit.NANOSECONDS);
            long waitMillis = (long) total * FRAMES_PER_PROBE * FRAME.toMillis() + 30_000;
            done.await(waitMillis, TimeUnit.MILLISECONDS);
            caller.shutdownNow();
            synchronized (measured) {
                return new ChainResult(hops.stream().map(ChainHop::name).toList(), new ArrayList<>(measured),
                        (int) done.getCount(), background.get(), hops.stream().map(ChainHop::size).toList());
            }
        } finally {
            caller.shutdownNow();
            consumers.forEach(Hop::close);
            producers.forEach(p -> p.close(Duration.ofSeconds(2)));
        }
    }

    /** As KafkaVoiceTransport sends: key = session, the hop's headers, the send time last, just before send(). */
    private static void send(KafkaProducer<String, byte[]> producer, String topic, Integer partition,
                             String sessionId, ChainHop hop, Long probe) {
        RecordHeaders headers = new RecordHeaders();
        hop.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        if (probe != null) {
            headers.add(PROBE_HEADER, Long.toString(probe).getBytes(StandardCharsets.UTF_8));
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
                            Duration.ofMillis(ChainSettings.POLL_MILLIS));
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

package dev.voxline.kafka;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link VoiceTransport} on plain kafka-clients, without Spring: one shared producer, one poll thread per
 * subscription ({@link PollLoop}), every client configured by {@link KafkaClientSettings}. With a meter registry every
 * long-lived client's own metrics are bound to it (Micrometer's {@link KafkaClientMetrics}, tagged with its
 * {@code client.id}: {@code <application>-producer}, {@code <application>-<group>},
 * {@code <application>-<topic>-assigned}) and each consumer reports its lag ({@link ConsumerLag}). The restore
 * consumers of {@link #readFromBeginning} are not bound: they live for seconds, usually less than a scrape
 * interval, each with a client id of its own, so their series would only come and go.
 *
 * <p>Sends never block an event loop. {@code KafkaProducer.send} blocks its caller for up to {@code max.block.ms}
 * while the topic's metadata is missing or the producer's buffer is full; a caller on a non-blocking thread (a Netty
 * event loop, a Reactor parallel worker: {@link Schedulers#isInNonBlockingThread()}) sends directly only when
 * neither can happen — the topic's metadata is known ({@link #prepare}, or an earlier send) and the buffer has room —
 * and otherwise hands the record to the transport's sender thread. That thread also keeps the known topics'
 * metadata from expiring while they are idle. Once a record of a topic has been handed over, every send to that topic
 * goes the same way until the sender thread caught up, so a session's records keep the order they were sent in.
 */
public final class KafkaVoiceTransport implements VoiceTransport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaVoiceTransport.class);

    private static final AtomicLong RESTORES = new AtomicLong();
    /** A restore that takes longer than this has failed (the stage went on without it long before). */
    private static final Duration RESTORE_LIMIT = Duration.ofSeconds(30);
    /** Records waiting for the sender thread; beyond, a record is dropped (late audio is no use). */
    static final int HANDOVER_CAPACITY = 10_000;
    /** Less free producer buffer than this and a non-blocking caller hands its record over. */
    private static final double BUFFER_HEADROOM_BYTES = 1 << 20;
    /** Well inside the producer's {@code metadata.max.idle.ms} (5 min), after which an idle topic is forgotten. */
    private static final Duration KEEP_METADATA_EVERY = Duration.ofMinutes(1);
    /** How long {@link #prepare} keeps asking for a topic's metadata. */
    static final Duration PREPARE_LIMIT = Duration.ofSeconds(60);
    private static final long SENDER_WAKE_MS = 200;

    private final VoxlineKafkaSettings settings;
    private final String clientId;
    private final KafkaProducer<String, byte[]> producer;
    private final MeterRegistry meters;
    private final KafkaClientMetrics producerMetrics;
    private final List<PollLoop> loops = new CopyOnWriteArrayList<>();
    private final AtomicLong sendFailures = new AtomicLong();
    /** Topic → its partition count, for topics the producer has metadata of: a send to them does not wait for it. */
    private final Map<String, Integer> knownTopics = new ConcurrentHashMap<>();
    /** Topics a send reached without {@link #prepare}: the sender thread learns their partition counts. */
    private final Set<String> toLearn = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ProducerRecord<String, byte[]>> handedOver =
            new ArrayBlockingQueue<>(HANDOVER_CAPACITY);
    /** Per topic, the records handed over and not yet given to the producer (queued or being sent). */
    private final Map<String, AtomicInteger> inHandover = new ConcurrentHashMap<>();
    private final AtomicLong handOvers = new AtomicLong();
    private final Metric bufferAvailable;
    private final Thread sender;
    private volatile boolean running = true;

    /** Without metrics (tests, tools). */
    public KafkaVoiceTransport(VoxlineKafkaSettings settings, String clientId) {
        this(settings, clientId, null);
    }

    /** {@code meters}: where the clients' metrics and the consumers' lag go, null for nowhere. */
    public KafkaVoiceTransport(VoxlineKafkaSettings settings, String clientId, MeterRegistry meters) {
        this.settings = settings;
        this.clientId = clientId;
        this.meters = meters;
        this.producer = new KafkaProducer<>(KafkaClientSettings.producer(settings.bootstrapServers(),
                clientId + "-producer", settings.lingerMs()));
        this.bufferAvailable = producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("buffer-available-bytes")
                        && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (meters != null) {
            this.producerMetrics = new KafkaClientMetrics(producer);
            this.producerMetrics.bindTo(meters);
        } else {
            this.producerMetrics = null;
        }
        this.sender = new Thread(this::runSender, clientId + "-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void publish(String topic, SessionRoute route, VoiceEvent event) {
        send(topic, route, JsonCodec.typeName(event), JsonCodec.get().encode(event),
                VoiceTransport.eventHeaders(event));
    }

    @Override
    public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
        send(topic, route, VoxHeaders.AUDIO_TYPE, pcm, headers);
    }

    @Override
    public void publishTombstone(String topic, SessionRoute route) {
        send(topic, route, null, null, Map.of());
    }

    /** {@code type} and {@code value} are null for a tombstone. */
    private void send(String topic, SessionRoute route, String type, byte[] value, Map<String, String> extra) {
        Integer partition = null;
        if (Topics.DOWNLINK.equals(topic)) {
            if (route.downlinkPartition() < 0) {
                log.warn("dropping {} for session {}: it has no downlink partition", type, route.sessionId());
                return;
            }
            partition = route.downlinkPartition();
        }
        RecordHeaders headers = new RecordHeaders();
        if (type != null) {
            headers.add(VoxHeaders.TYPE, bytes(type));
        }
        headers.add(VoxHeaders.DOWNLINK, bytes(Integer.toString(route.downlinkPartition())));
        if (route.traceparent() != null) {
            headers.add(VoxHeaders.TRACEPARENT, bytes(route.traceparent()));
        }
        extra.forEach((name, headerValue) -> headers.add(name, bytes(headerValue)));
        headers.add(VoxHeaders.SENT_US, bytes(Long.toString(WallClock.micros())));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, route.sessionId(), value,
                headers);
        if (mayBlock(record)) {
            handOver(record);
        } else {
            producer.send(record, afterSend(topic));
        }
    }

    /**
     * True when this send must go through the sender thread: records of its topic wait there (Kafka orders a
     * partition, so a topic's records must not overtake each other), or the caller is on a non-blocking thread and
     * the producer could make it wait (metadata unknown, an explicit partition it does not know of, buffer nearly
     * full).
     */
    private boolean mayBlock(ProducerRecord<String, byte[]> record) {
        AtomicInteger waiting = inHandover.get(record.topic());
        if (waiting != null && waiting.get() > 0) {
            return true;
        }
        if (!Schedulers.isInNonBlockingThread()) {
            return false;
        }
        Integer partitions = knownTopics.get(record.topic());
        if (partitions == null || record.partition() != null && record.partition() >= partitions) {
            return true;
        }
        int size = record.value() == null ? 0 : record.value().length;
        return bufferAvailable != null
                && ((Number) bufferAvailable.metricValue()).doubleValue() < size + BUFFER_HEADROOM_BYTES;
    }

    private void handOver(ProducerRecord<String, byte[]> record) {
        AtomicInteger waiting = inHandover.computeIfAbsent(record.topic(), topic -> new AtomicInteger());
        waiting.incrementAndGet();
        if (!running || !handedOver.offer(record)) {
            waiting.decrementAndGet();
            failed(record.topic(), new IllegalStateException(running
                    ? HANDOVER_CAPACITY + " records already wait for the sender thread" : "transport closed"));
            return;
        }
        handOvers.incrementAndGet();
    }

    private Callback afterSend(String topic) {
        return (metadata, error) -> {
            if (error != null) {
                failed(topic, error);
            } else if (!knownTopics.containsKey(topic)) {
                toLearn.add(topic); // not here: this is the producer's I/O thread
            }
        };
    }

    private void failed(String topic, Throwable error) {
        long failures = sendFailures.incrementAndGet();
        if (Long.bitCount(failures) == 1) { // log the 1st, 2nd, 4th, 8th … failure
            log.warn("send to {} failed ({} failures so far): {}", topic, failures, error.toString());
        }
    }

    /** The sender thread: sends what was handed over, in order, and keeps the known topics' metadata fresh. */
    private void runSender() {
        long lastKept = System.nanoTime();
        while (running || !handedOver.isEmpty()) {
            try {
                ProducerRecord<String, byte[]> record = handedOver.poll(SENDER_WAKE_MS, TimeUnit.MILLISECONDS);
                if (record != null) {
                    try {
                        producer.send(record, afterSend(record.topic()));
                    } catch (RuntimeException e) {
                        failed(record.topic(), e);
                    } finally {
                        inHandover.get(record.topic()).decrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!toLearn.isEmpty()) {
                List<String> learnt = List.copyOf(toLearn);
                toLearn.removeAll(learnt);
                learnt.forEach(this::fetchMetadata);
            }
            if (running && System.nanoTime() - lastKept > KEEP_METADATA_EVERY.toNanos()) {
                lastKept = System.nanoTime();
                knownTopics.keySet().forEach(this::fetchMetadata);
            }
        }
    }

    /** On the sender thread: {@code partitionsFor} returns at once while the topic's metadata is cached. */
    private void fetchMetadata(String topic) {
        try {
            knownTopics.put(topic, producer.partitionsFor(topic).size());
        } catch (RuntimeException e) {
            log.warn("no metadata for {}: {}", topic, e.toString());
        }
    }

    /**
     * Fetches the topics' metadata now, on the caller's thread (it blocks until the broker answered). A topic just
     * created can take longer than one {@code max.block.ms} to appear on a busy machine, so each topic is asked
     * again until {@link #PREPARE_LIMIT}; only then does the timeout reach the caller.
     */
    @Override
    public void prepare(Collection<String> topics) {
        long deadline = System.nanoTime() + PREPARE_LIMIT.toNanos();
        for (String topic : topics) {
            while (true) {
                try {
                    knownTopics.put(topic, producer.partitionsFor(topic).size());
                    break;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                    log.info("no metadata for {} yet ({}); asking again", topic, e.getMessage());
                }
            }
        }
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
        return subscribe(groupId, topics, handler, null);
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler,
                                  AssignmentListener listener) {
        Properties config = KafkaClientSettings.groupConsumer(settings.bootstrapServers(), clientId + "-" + groupId,
                groupId);
        PollLoop loop = PollLoop.subscribed(config, List.copyOf(topics), handler, listener, meters);
        loops.add(loop);
        return loop;
    }

    @Override
    public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler) {
        Properties config = KafkaClientSettings.assignedConsumer(settings.bootstrapServers(),
                clientId + "-" + topic + "-assigned");
        PollLoop loop = PollLoop.assigned(config, topic, new ArrayList<>(partitions), handler, meters);
        loops.add(loop);
        return loop;
    }

    /**
     * A short-lived consumer of its own, on a bounded-elastic thread (its polls block), with {@code assign()} and
     * {@code seekToBeginning}: a compacted topic's state is the whole partition, whatever any group committed.
     */
    @Override
    public Mono<Void> readFromBeginning(String topic, Collection<Integer> partitions, RecordHandler handler) {
        List<Integer> numbers = List.copyOf(partitions);
        return Mono.<Void>fromRunnable(() -> readToEnd(topic, numbers, handler))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private void readToEnd(String topic, List<Integer> partitions, RecordHandler handler) {
        if (partitions.isEmpty()) {
            return;
        }
        Properties config = KafkaClientSettings.assignedConsumer(settings.bootstrapServers(),
                clientId + "-" + topic + "-restore-" + RESTORES.incrementAndGet());
        long t0 = System.nanoTime();
        long deadline = t0 + RESTORE_LIMIT.toNanos();
        int count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(assigned);
            // the end now: what was written before this instance took the partitions over
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, RESTORE_LIMIT);
            consumer.seekToBeginning(assigned);
            Set<TopicPartition> remaining = new HashSet<>(assigned);
            remaining.removeIf(tp -> consumer.position(tp, RESTORE_LIMIT) >= end.getOrDefault(tp, 0L));
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + remaining + " took more than " + RESTORE_LIMIT);
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                long polled = WallClock.micros();
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.getOrDefault(tp, 0L)) {
                        handler.onRecord(PollLoop.toVoiceRecord(record, polled));
                        count++;
                    }
                }
                // compaction leaves gaps and control records: the position, not the last offset seen, says "done"
                remaining.removeIf(tp -> consumer.position(tp, RESTORE_LIMIT) >= end.getOrDefault(tp, 0L));
            }
        }
        log.info("read {} records of {} partitions {} in {} ms", count, topic, partitions,
                (System.nanoTime() - t0) / 1_000_000);
    }

    public VoxlineKafkaSettings settings() {
        return settings;
    }

    /** True when every subscription made so far is ready. */
    public boolean subscriptionsReady() {
        return loops.stream().allMatch(PollLoop::isReady);
    }

    public Map<String, Object> describe() {
        Map<String, Object> details = new HashMap<>();
        details.put("bootstrapServers", settings.bootstrapServers());
        details.put("subscriptions", loops.stream().map(PollLoop::description).toList());
        details.put("sendFailures", sendFailures.get());
        details.put("handedOverToSender", handOvers.get());
        return details;
    }

    @Override
    public void close() {
        loops.forEach(PollLoop::close);
        loops.clear();
        running = false; // the sender thread sends what is waiting, then ends
        try {
            sender.join(Duration.ofSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producerMetrics != null) {
            producerMetrics.close();
        }
        producer.close(Duration.ofSeconds(2));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

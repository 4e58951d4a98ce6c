package dev.voxline.kafka;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.VoiceEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VoiceTransport} without a broker: every service of one JVM shares one instance and records move through
 * in-memory queues. It is the in-process baseline that LiveKit Agents and Pipecat users live with (the same services
 * and engines, wired directly), against which benchmark 1 measures what Kafka adds.
 *
 * <p>It keeps what the stages rely on from {@link KafkaVoiceTransport}: records keyed by session land on partition
 * {@code murmur2(key) mod partitions} (Kafka's default partitioner), the downlink on the route's explicit partition;
 * every record carries the same headers ({@code vox-type}, {@code vox-downlink}, {@code traceparent}, the extra ones,
 * {@code vox-sent-us} set last, just before the hand-over); each subscription has its own single delivery thread that
 * stamps the time it took the record ({@link VoiceRecord#polledMicros()}), so hop delays are measured the same way;
 * a subscription sees records published after it was made, in publication order (so a session's records stay in
 * order), and is ready at once. Several subscriptions of one group share a topic's partitions in contiguous ranges,
 * like the range assignor, and a member with an assignment listener is told its partitions whenever members come or
 * go; a topic nobody reads drops what is published to it (as voice.metrics does here when metrics-service does not
 * run), except voice.context, which is compacted in Kafka: its latest record per key is kept, for
 * {@link #readFromBeginning} (a tombstone forgets the key).
 */
public final class InProcessVoiceTransport implements VoiceTransport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InProcessVoiceTransport.class);

    private final int partitions;
    private final int downlinkPartitions;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> offsets = new ConcurrentHashMap<>();
    /** Compacted topics: topic-partition → key → its latest record, in the order the keys were last written. */
    private final Map<String, Map<String, Pending>> compacted = new ConcurrentHashMap<>();
    private static final Set<String> COMPACTED_TOPICS = Set.of(Topics.CONTEXT);

    /** The default layout of {@link VoxlineKafkaSettings}: 12 partitions, 4 × 3 downlink partitions. */
    public InProcessVoiceTransport() {
        this(12, 12);
    }

    public InProcessVoiceTransport(int partitions, int downlinkPartitions) {
        if (partitions <= 0 || downlinkPartitions <= 0) {
            throw new IllegalArgumentException("partitions must be > 0");
        }
        this.partitions = partitions;
        this.downlinkPartitions = downlinkPartitions;
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
        int partition;
        if (Topics.DOWNLINK.equals(topic)) {
            if (route.downlinkPartition() < 0 || route.downlinkPartition() >= downlinkPartitions) {
                log.warn("dropping {} for session {}: it has no downlink partition", type, route.sessionId());
                return;
            }
            partition = route.downlinkPartition();
        } else {
            partition = partitionOf(route.sessionId(), partitions);
        }
        Map<String, String> headers = new HashMap<>();
        if (type != null) {
            headers.put(VoxHeaders.TYPE, type);
        }
        headers.put(VoxHeaders.DOWNLINK, Integer.toString(route.downlinkPartition()));
        if (route.traceparent() != null) {
            headers.put(VoxHeaders.TRACEPARENT, route.traceparent());
        }
        headers.putAll(extra);
        long offset = offsets.computeIfAbsent(topic + "-" + partition, k -> new AtomicLong()).getAndIncrement();
        // the send time is the last header written, just before the hand-over, as in KafkaVoiceTransport
        headers.put(VoxHeaders.SENT_US, Long.toString(WallClock.micros()));
        Pending pending = new Pending(topic, partition, offset, route.sessionId(), Map.copyOf(headers), value, null);
        if (COMPACTED_TOPICS.contains(topic) && route.sessionId() != null) {
            Map<String, Pending> latest = compacted.computeIfAbsent(topic + "-" + partition,
                    k -> java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>()));
            synchronized (latest) {
                latest.remove(route.sessionId()); // re-inserted last: the map's order is the partition's order
                if (value != null) {
                    latest.put(route.sessionId(), pending);
                }
            }
        }
        for (Delivery delivery : deliveries) {
            if (delivery.wants(topic, partition)) {
                delivery.queue.add(pending);
            }
        }
    }

    /** Kafka's default partitioner for a non-null key: murmur2 of the key's UTF-8 bytes. */
    static int partitionOf(String key, int count) {
        if (key == null) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count;
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
        return subscribe(groupId, topics, handler, null);
    }

    @Override
    public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler,
                                  AssignmentListener listener) {
        Delivery delivery = new Delivery("group " + groupId + " " + topics, groupId, Set.copyOf(topics), null,
                handler, listener);
        deliveries.add(delivery);
        rebalance(groupId);
        delivery.start();
        return delivery;
    }

    /** Tells every member of the group with a listener its partitions, in its queue, ahead of later records. */
    private void rebalance(String groupId) {
        List<Delivery> members = deliveries.stream().filter(d -> d.running && groupId.equals(d.groupId)).toList();
        for (int index = 0; index < members.size(); index++) {
            Delivery member = members.get(index);
            if (member.listener == null) {
                continue;
            }
            Set<Integer> assigned = new java.util.TreeSet<>();
            for (int p = 0; p < partitions; p++) {
                if ((long) p * members.size() / partitions == index) {
                    assigned.add(p);
                }
            }
            member.queue.add(new Pending("", -1, -1, null, Map.of(), null,
                    java.util.Collections.unmodifiableSortedSet((java.util.TreeSet<Integer>) assigned)));
        }
    }

    @Override
    public reactor.core.publisher.Mono<Void> readFromBeginning(String topic, Collection<Integer> partitions,
                                                               RecordHandler handler) {
        return reactor.core.publisher.Mono.<Void>fromRunnable(() -> {
            long polled = WallClock.micros();
            for (int partition : partitions) {
                Map<String, Pending> latest = compacted.get(topic + "-" + partition);
                if (latest == null) {
                    continue;
                }
                List<Pending> records;
                synchronized (latest) {
                    records = List.copyOf(latest.values());
                }
                for (Pending pending : records) {
                    handler.onRecord(new VoiceRecord(pending.topic(), pending.partition(), pending.offset(),
                            pending.key(), pending.headers(), pending.value(), polled));
                }
            }
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    @Override
    public Subscription assign(String topic, Collection<Integer> assigned, RecordHandler handler) {
        Delivery delivery = new Delivery("assigned " + topic + assigned, null, Set.of(topic), Set.copyOf(assigned),
                handler, null);
        deliveries.add(delivery);
        delivery.start();
        return delivery;
    }

    /** Every subscription's description, for a health or status page. */
    public List<String> describe() {
        List<String> descriptions = new ArrayList<>();
        deliveries.forEach(d -> descriptions.add(d.description));
        return descriptions;
    }

    @Override
    public void close() {
        deliveries.forEach(Delivery::close);
        deliveries.clear();
    }

    /** A record, or (with {@code assignment} set) a member's new assignment. */
    private record Pending(String topic, int partition, long offset, String key, Map<String, String> headers,
                           byte[] value, Set<Integer> assignment) {
    }

    /** One subscription: a queue and the one thread that hands its records to the handler, in order. */
    private final class Delivery implements Subscription {

        private static final Pending STOP = new Pending("", -1, -1, null, Map.of(), new byte[0], null);

        final String description;
        final String groupId;
        final Set<String> topics;
        final Set<Integer> fixedPartitions;
        final RecordHandler handler;
        final AssignmentListener listener;
        final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile boolean running = true;

        Delivery(String description, String groupId, Set<String> topics, Set<Integer> fixedPartitions,
                 RecordHandler handler, AssignmentListener listener) {
            this.description = description;
            this.groupId = groupId;
            this.topics = topics;
            this.fixedPartitions = fixedPartitions;
            this.handler = handler;
            this.listener = listener;
            this.thread = new Thread(this::run, "in-process-" + (groupId != null ? groupId : "assigned"));
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        boolean wants(String topic, int partition) {
            if (!running || !topics.contains(topic)) {
                return false;
            }
            if (fixedPartitions != null) {
                return fixedPartitions.contains(partition);
            }
            // the range assignor: member i of n in the group holds a contiguous range of the partitions
            List<Delivery> members = deliveries.stream().filter(d -> d.running && groupId.equals(d.groupId))
                    .toList();
            int index = members.indexOf(this);
            return index >= 0 && (long) partition * members.size() / partitions == index;
        }

        private void run() {
            try {
                while (running) {
                    Pending pending = queue.take();
                    if (pending == STOP) {
                        break;
                    }
                    if (pending.assignment() != null) {
                        assigned(pending.assignment());
                        continue;
                    }
                    dispatch(pending, WallClock.micros());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void assigned(Set<Integer> assignment) {
            try {
                listener.onAssigned(assignment);
            } catch (RuntimeException e) {
                log.warn("{}: assignment listener failed: {}", description, e.toString(), e);
            }
        }

        private void dispatch(Pending pending, long polled) {
            try {
                handler.onRecord(new VoiceRecord(pending.topic(), pending.partition(), pending.offset(),
                        pending.key(), pending.headers(), pending.value(), polled));
            } catch (RuntimeException e) {
                log.warn("{}: skipped record {}-{}@{} of session {}: {}", description, pending.topic(),
                        pending.partition(), pending.offset(), pending.key(), e.toString(), e);
            }
        }

        @Override
        public boolean isReady() {
            return running;
        }

        @Override
        public void close() {
            if (!running) {
                return;
            }
            running = false;
            deliveries.remove(this);
            if (groupId != null) {
                rebalance(groupId);
            }
            queue.clear();
            queue.add(STOP);
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

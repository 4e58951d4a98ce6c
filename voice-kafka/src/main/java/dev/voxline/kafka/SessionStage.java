package dev.voxline.kafka;

import dev.voxline.contracts.Bounded;
import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The runtime of a pipeline stage: one consumer on the stage's input topic and voice.control (co-partitioned, so a
 * session's control events reach the instance holding its state), a map of per-session state, and the rule that a
 * failure belongs to one session: it becomes an {@code error} event on that session's downlink and nothing else
 * stops.
 *
 * <p>A stage whose sessions must survive a restart or a rebalance ({@link #restoresState()}) rebuilds them from a
 * compacted topic: when partitions are newly assigned to this instance, {@link #restore} reads those partitions,
 * and until it is done (at most {@link #restoreWait()}, then it goes on without with a warning) the records of
 * those partitions wait, in order, so no session's next turn runs without its restored state.
 *
 * @param <S> the stage's per-session state
 */
public abstract class SessionStage<S extends SessionStage.StageSession> {

    private final Logger log = LoggerFactory.getLogger(getClass());

    protected final VoiceTransport transport;
    private final TopicDeclarer topics;
    private final String groupId;
    private final String inputTopic;
    private final List<String> producedTopics;
    private final Map<String, S> sessions = new ConcurrentHashMap<>();
    static final Duration CONFIG_WAIT = Duration.ofSeconds(1);
    private static final int MAX_WAITING = 500;
    private final Set<String> configured = ConcurrentHashMap.newKeySet();
    private final Map<String, List<VoiceRecord>> waiting = new HashMap<>();
    private static final int MAX_HELD = 5_000;
    /** Partitions being restored → their restore, whose queue holds their records meanwhile. */
    private final Map<Integer, Restore> restoring = new HashMap<>();
    /** The partitions of the latest assignment. */
    private Set<Integer> owned = Set.of();
    /** Sessions that ended lately: a restore that comes late must not bring them back. */
    private final Set<String> ended = Bounded.newestElements(1_000);
    private ScheduledExecutorService timer;
    /** Set when the service traces ({@link #setTracing}); stages built by hand (tests) trace nothing. */
    protected volatile VoiceTracing tracing = VoiceTracing.NOOP;
    private volatile VoiceTransport.Subscription subscription;

    protected SessionStage(VoiceTransport transport, TopicDeclarer topics, String groupId, String inputTopic,
                           List<String> producedTopics) {
        this.transport = transport;
        this.topics = topics;
        this.groupId = groupId;
        this.inputTopic = inputTopic;
        this.producedTopics = producedTopics;
    }

    /** The service's tracing; in a Spring service the context's {@link VoiceTracing}, given before {@link #start}. */
    public void setTracing(VoiceTracing tracing) {
        this.tracing = tracing;
    }

    /** Creates a session's state; {@code route} says where its output goes. */
    protected abstract S open(SessionRoute route);

    /** Per-session state of a stage. Methods run on the poll thread: hand long work to a scheduler. */
    public interface StageSession {
        /** The session's configuration arrived (or changed). */
        default void configure(dev.voxline.contracts.event.SessionConfig config) {
        }

        /** A record of the stage's input topic. */
        void onInput(VoiceRecord record);

        /** A control event other than session start/end. */
        default void onControl(VoiceEvent event, VoiceRecord record) {
        }

        /** The session ended: cancel all work and free everything. */
        void close();

        /**
         * The session ended for good (its {@code session.ended}), not just this instance stopping: {@link #close()}
         * plus forgetting whatever was kept for it elsewhere.
         */
        default void end() {
            close();
        }
    }

    /**
     * True when this stage rebuilds sessions from a compacted topic ({@link #restore}); false keeps the plain
     * subscription, without assignment callbacks.
     */
    protected boolean restoresState() {
        return false;
    }

    /**
     * Restores the sessions of newly assigned partitions (numbers of the co-partitioned topics); completes once the
     * restored state is applied (with {@link #restoreSession}). Subscribed at once, from the poll thread: it must not
     * block there.
     */
    protected Mono<Void> restore(Set<Integer> partitions) {
        return Mono.empty();
    }

    /** How long the records of a partition being restored may wait for it. */
    protected Duration restoreWait() {
        return Duration.ofSeconds(2);
    }

    /**
     * Applies restored state: creates the session unless it exists (or ended lately), configures it with
     * {@code config} when its {@code session.started} has not been seen here (it was, by the previous owner), and
     * hands it to {@code seed}. {@code partition}: the partition the state was read from; {@code seed} learns
     * whether the restore came after that partition's records had stopped waiting for it (the session may have
     * gone on without it).
     */
    protected final synchronized void restoreSession(int partition, SessionRoute route,
                                                     dev.voxline.contracts.event.SessionConfig config,
                                                     java.util.function.BiConsumer<S, Boolean> seed) {
        String sessionId = route.sessionId();
        if (sessionId == null || ended.contains(sessionId)) {
            return;
        }
        Restore restore = restoring.get(partition);
        boolean late = restore == null;
        S session = sessions.computeIfAbsent(sessionId, id -> open(route));
        if (config != null && configured.add(sessionId)) {
            session.configure(config);
            replayWaiting(sessionId);
        }
        seed.accept(session, late);
    }

    /** The poll thread: the group's assignment changed. */
    private synchronized void onAssigned(Set<Integer> partitions) {
        Set<Integer> gained = new java.util.TreeSet<>(partitions);
        gained.removeAll(owned);
        owned = Set.copyOf(partitions);
        if (gained.isEmpty()) {
            return;
        }
        Restore restore = new Restore(Set.copyOf(gained), System.nanoTime());
        gained.forEach(p -> restoring.put(p, restore));
        restore.timeout = timer.schedule(() -> restoreEnded(restore, null, true), restoreWait().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("restoring partitions {}", restore.partitions);
        Mono<Void> work;
        try {
            work = restore(restore.partitions);
        } catch (RuntimeException e) {
            restoreEnded(restore, e, false);
            return;
        }
        work.subscribe(null, error -> restoreEnded(restore, error, false), () -> restoreEnded(restore, null, false));
    }

    private synchronized void restoreEnded(Restore restore, Throwable error, boolean timedOut) {
        if (restore.released) {
            if (!timedOut) {
                log.info("restore of partitions {} finished late, after {} ms{}", restore.partitions,
                        restore.elapsedMs(), error != null ? ": " + error : "");
            }
            return;
        }
        restore.released = true;
        if (restore.timeout != null) {
            restore.timeout.cancel(false);
        }
        restore.partitions.forEach(p -> restoring.remove(p, restore));
        if (timedOut) {
            log.warn("restore of partitions {} not done within {} ms: their {} waiting records go on without it",
                    restore.partitions, restoreWait().toMillis(), restore.held.size());
        } else if (error != null) {
            log.warn("restore of partitions {} failed after {} ms, going on without it: {}", restore.partitions,
                    restore.elapsedMs(), error.toString());
        } else {
            log.info("restored partitions {} in {} ms ({} records waited)", restore.partitions, restore.elapsedMs(),
                    restore.held.size());
        }
        List<VoiceRecord> held = new ArrayList<>(restore.held);
        restore.held.clear();
        held.forEach(this::route);
    }

    /** One restore of newly assigned partitions, and the records that wait for it. */
    private static final class Restore {
        final Set<Integer> partitions;
        final long startNanos;
        final List<VoiceRecord> held = new ArrayList<>();
        java.util.concurrent.ScheduledFuture<?> timeout;
        boolean released;

        Restore(Set<Integer> partitions, long startNanos) {
            this.partitions = partitions;
            this.startNanos = startNanos;
        }

        long elapsedMs() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /**
     * Kafka orders a partition, not two topics: a session's first input can be polled before its
     * {@code session.started} on voice.control, although the gateway sent that first. Input of a session whose
     * configuration has not arrived waits (bounded, {@link #CONFIG_WAIT} at most, then it runs with defaults).
     * Synchronized: the poll thread and that timeout both come here; nothing in it blocks.
     */
    private synchronized void onRecord(VoiceRecord record) {
        Restore restore = restoring.get(record.partition());
        if (restore != null) {
            if (restore.held.size() < MAX_HELD) {
                restore.held.add(record);
            } else {
                log.warn("partition {} being restored has {} records waiting; dropped one of session {}",
                        record.partition(), MAX_HELD, record.sessionId());
            }
            return;
        }
        route(record);
    }

    private void route(VoiceRecord record) {
        String sessionId = record.sessionId();
        if (sessionId == null) {
            log.warn("record without session key on {}", record.topic());
            return;
        }
        if (!Topics.CONTROL.equals(record.topic()) && !configured.contains(sessionId)) {
            awaitConfiguration(record);
            return;
        }
        dispatch(record);
    }

    private void awaitConfiguration(VoiceRecord record) {
        List<VoiceRecord> queue = waiting.computeIfAbsent(record.sessionId(), id -> {
            timer.schedule(() -> configurationTimedOut(id), CONFIG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new ArrayList<>();
        });
        if (queue.size() < MAX_WAITING) {
            queue.add(record);
        } else {
            log.warn("session {}: no configuration yet and {} records waiting; dropped one", record.sessionId(),
                    MAX_WAITING);
        }
    }

    private synchronized void configurationTimedOut(String sessionId) {
        if (waiting.containsKey(sessionId)) {
            log.warn("session {}: no session.started within {} ms; going on with defaults", sessionId,
                    CONFIG_WAIT.toMillis());
            configured.add(sessionId);
            replayWaiting(sessionId);
        }
    }

    private void replayWaiting(String sessionId) {
        List<VoiceRecord> queue = waiting.remove(sessionId);
        if (queue != null) {
            queue.forEach(this::dispatch);
        }
    }

    private void dispatch(VoiceRecord record) {
        String sessionId = record.sessionId();
        tracing.hop(record);
        try (LogContext ignored = LogContext.of(record)) {
            if (Topics.CONTROL.equals(record.topic())) {
                onControl(record);
            } else {
                session(record).onInput(record);
            }
        } catch (JsonCodec.CodecException e) {
            log.warn("poison record on {} for session {}: {}", record.topic(), sessionId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("session {} failed on {}", sessionId, record.topic(), e);
            fail(record.route(), null, e);
        }
    }

    private void onControl(VoiceRecord record) {
        VoiceEvent event = record.event();
        if (event instanceof VoiceEvent.SessionStarted started) {
            session(record).configure(started.config());
            configured.add(started.sessionId());
            replayWaiting(started.sessionId());
        } else if (event instanceof VoiceEvent.SessionEnded sessionEnded) {
            configured.remove(sessionEnded.sessionId());
            waiting.remove(sessionEnded.sessionId());
            ended.add(sessionEnded.sessionId());
            S session = sessions.remove(sessionEnded.sessionId());
            if (session != null) {
                session.end();
            }
        } else {
            S session = sessions.get(record.sessionId());
            if (session != null) {
                session.onControl(event, record);
            }
        }
    }

    private S session(VoiceRecord record) {
        return sessions.computeIfAbsent(record.sessionId(), id -> open(record.route()));
    }

    /** Reports a failure of one turn to the session's client; the session and every other one go on. */
    public void fail(SessionRoute route, String turnId, Throwable error) {
        String stage = groupId.replace("-service", "");
        String reason = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        log.warn("session {} turn {}: {} failed: {}", route.sessionId(), turnId, stage, reason);
        transport.toDownlink(route, new VoiceEvent.Error(route.sessionId(), turnId, ErrorCodes.STAGE_FAILED,
                stage + " failed: " + reason));
    }

    public int activeSessions() {
        return sessions.size();
    }

    /**
     * Declares the stage's topics, fetches their metadata and subscribes. A Spring service's context calls it once
     * it is refreshed (dev.voxline.kafka.spring's stage lifecycle), plain Java code itself.
     */
    public void start() {
        List<String> declared = new ArrayList<>(producedTopics);
        declared.add(inputTopic);
        declared.add(Topics.CONTROL);
        declared.add(Topics.DOWNLINK);
        topics.declare(declared);
        transport.prepare(declared);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, groupId + "-config-wait");
            thread.setDaemon(true);
            return thread;
        });
        subscription = restoresState()
                ? transport.subscribe(groupId, List.of(inputTopic, Topics.CONTROL), this::onRecord, this::onAssigned)
                : transport.subscribe(groupId, List.of(inputTopic, Topics.CONTROL), this::onRecord);
    }

    /** Unsubscribes and closes every session. */
    public void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        sessions.values().forEach(StageSession::close);
        sessions.clear();
        if (timer != null) {
            timer.shutdownNow();
        }
        configured.clear();
        waiting.clear();
        synchronized (this) {
            restoring.clear();
            owned = Set.of();
        }
    }

    public boolean isRunning() {
        return subscription != null;
    }
}

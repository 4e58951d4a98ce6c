package dev.voxline.kafka;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The runtime of a pipeline stage: one consumer on the stage's input topic and voice.control (co-partitioned, so a
 * session's control events reach the instance holding its state), a map of per-session state, and the rule that a
 * failure belongs to one session: it becomes an {@code error} event on that session's downlink and nothing else
 * stops.
 *
 * @param <S> the stage's per-session state
 */
public abstract class SessionStage<S extends SessionStage.StageSession> implements SmartLifecycle {

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
    private ScheduledExecutorService timer;
    private volatile VoiceTransport.Subscription subscription;

    protected SessionStage(VoiceTransport transport, TopicDeclarer topics, String groupId, String inputTopic,
                           List<String> producedTopics) {
        this.transport = transport;
        this.topics = topics;
        this.groupId = groupId;
        this.inputTopic = inputTopic;
        this.producedTopics = producedTopics;
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
    }

    /**
     * Kafka orders a partition, not two topics: a session's first input can be polled before its
     * {@code session.started} on voice.control, although the gateway sent that first. Input of a session whose
     * configuration has not arrived waits (bounded, {@link #CONFIG_WAIT} at most, then it runs with defaults).
     * Synchronized: the poll thread and that timeout both come here; nothing in it blocks.
     */
    private synchronized void onRecord(VoiceRecord record) {
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
        try {
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
        } else if (event instanceof VoiceEvent.SessionEnded ended) {
            configured.remove(ended.sessionId());
            waiting.remove(ended.sessionId());
            S session = sessions.remove(ended.sessionId());
            if (session != null) {
                session.close();
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

    @Override
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
        subscription = transport.subscribe(groupId, List.of(inputTopic, Topics.CONTROL), this::onRecord);
    }

    @Override
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
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}

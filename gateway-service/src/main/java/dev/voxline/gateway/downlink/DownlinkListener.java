package dev.voxline.gateway.downlink;

import dev.voxline.contracts.Topics;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceTransport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads this instance's voice.downlink partitions with {@code assign()} — no consumer group, so scaling gateways
 * never moves a live session — after declaring the topics the gateway uses. Starts before the web server accepts
 * connections and stops after it has drained them.
 */
public final class DownlinkListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DownlinkListener.class);

    /** Before the web server (Boot starts it at {@code DEFAULT_PHASE - 1024}) and stopped after it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final VoiceTransport transport;
    private final TopicDeclarer topics;
    private final DownlinkPartitions partitions;
    /** Where each record goes: the session it is keyed by. */
    private final VoiceTransport.RecordHandler sessions;
    private volatile VoiceTransport.Subscription subscription;

    public DownlinkListener(VoiceTransport transport, TopicDeclarer topics, DownlinkPartitions partitions,
                            VoiceTransport.RecordHandler sessions) {
        this.transport = transport;
        this.topics = topics;
        this.partitions = partitions;
        this.sessions = sessions;
    }

    @Override
    public void start() {
        List<String> used = List.of(Topics.AUDIO_IN, Topics.TRANSCRIPTS, Topics.CONTROL, Topics.DOWNLINK,
                Topics.METRICS);
        topics.declare(used);
        transport.prepare(used);
        subscription = transport.assign(Topics.DOWNLINK, partitions.owned(), sessions);
        log.info("reading {} partitions {}", Topics.DOWNLINK, partitions.owned());
    }

    @Override
    public void stop() {
        VoiceTransport.Subscription current = subscription;
        subscription = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

package dev.voxline.vad.stage;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.vad.config.VadProperties;
import dev.voxline.vad.engine.AudioFrame;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.VadScore;
import dev.voxline.vad.engine.VadSettings;
import dev.voxline.vad.segment.SpeechSegmenter;
import dev.voxline.vad.segment.VadProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * voice.audio.in → voice.speech (+ downlink). Per session: the caller's frames go through the engine into a
 * {@link SpeechSegmenter}; every confirmed segment is a turn: {@code speech.started}, its audio (pre-roll first)
 * on voice.speech, then {@code speech.ended} once the silence window and the decision delay have passed.
 */
public final class VadStage extends SessionStage<VadStage.VadSession> {

    private static final Logger log = LoggerFactory.getLogger(VadStage.class);

    private final VadEngine engine;
    private final VadProperties properties;
    private final VadProfile defaultProfile;
    private final Scheduler timer;

    public VadStage(VoiceTransport transport, TopicDeclarer topics, String groupId, VadEngine engine,
                    VadProperties properties, Scheduler timer) {
        super(transport, topics, groupId, Topics.AUDIO_IN, List.of(Topics.SPEECH));
        this.engine = engine;
        this.properties = properties;
        this.defaultProfile = VadProfile.named(properties.defaultProfile(), VadProfile.LOW_LATENCY);
        this.timer = timer;
    }

    @Override
    protected VadSession open(SessionRoute route) {
        return new VadSession(route);
    }

    /**
     * One session. The poll thread only pushes frames into {@link #frames}; the segmenter runs wherever the engine
     * emits (inline for the energy detector) and the decision-delay timer on {@link #timer}, hence the locking.
     */
    public final class VadSession implements StageSession, SpeechSegmenter.Listener {

        private final SessionRoute route;
        private SpeechSegmenter segmenter;
        private int decisionDelayMs = properties.decisionDelayMs();
        private Sinks.Many<AudioFrame> frames;
        private Disposable scoring;
        private String turnId;
        private VoiceEvent.SpeechEnded pendingEnd;
        private Disposable pendingEndTimer;
        private boolean closed;

        VadSession(SessionRoute route) {
            this.route = route;
            this.segmenter = new SpeechSegmenter(defaultProfile, properties.preRollMs(), this);
            startScoring();
        }

        private void startScoring() {
            frames = Sinks.many().unicast().onBackpressureBuffer();
            scoring = engine.score(frames.asFlux(), new VadSettings(AudioFormat.PIPELINE_RATE))
                    .subscribe(this::onScore, this::onEngineError);
        }

        private synchronized void onScore(VadScore score) {
            if (!closed) {
                segmenter.accept(score.frame(), score.probability());
            }
        }

        private synchronized void onEngineError(Throwable error) {
            if (closed) {
                return;
            }
            log.warn("VAD engine failed for session {} (turn {}): {}", route.sessionId(), turnId, error.toString());
            fail(route, turnId, error);
            // The session goes on with a fresh detector; a segment in progress is abandoned.
            turnId = null;
            segmenter = new SpeechSegmenter(segmenter.profile(), properties.preRollMs(), this);
            startScoring();
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            segmenter.setProfile(VadProfile.named(config.vadProfile(), defaultProfile));
            Integer delay = config.simulationOrEmpty().vadDecisionDelayMs();
            decisionDelayMs = delay != null ? Math.max(0, delay) : properties.decisionDelayMs();
        }

        @Override
        public void onInput(VoiceRecord record) {
            if (!record.isAudio()) {
                return;
            }
            AudioFrame frame = new AudioFrame(record.longHeader(VoxHeaders.SEQ, -1), record.value(),
                    record.longHeader(VoxHeaders.ARRIVAL_US, -1),
                    Boolean.parseBoolean(record.header(VoxHeaders.AGENT_SPEAKING)));
            Sinks.EmitResult result = frames.tryEmitNext(frame);
            if (result.isFailure()) {
                log.warn("session {}: dropped frame {} ({})", route.sessionId(), frame.seq(), result);
            }
        }

        @Override
        public void onSpeechStarted(long firstVoicedSeq) {
            publishPendingEnd();
            turnId = Ids.turnId();
            VoiceEvent.SpeechStarted started = new VoiceEvent.SpeechStarted(route.sessionId(), turnId,
                    firstVoicedSeq * Pcm.FRAME_MS, firstVoicedSeq);
            log.info("session {} turn {}: speech started at frame {}", route.sessionId(), turnId, firstVoicedSeq);
            transport.publish(Topics.SPEECH, route, started);
            transport.toDownlink(route, started);
        }

        @Override
        public void onSpeechAudio(AudioFrame frame) {
            transport.publishAudio(Topics.SPEECH, route, frame.pcm(), Map.of(
                    VoxHeaders.TURN, turnId,
                    VoxHeaders.SEQ, Long.toString(frame.seq()),
                    VoxHeaders.SAMPLE_RATE, Integer.toString(AudioFormat.PIPELINE_RATE)));
        }

        @Override
        public void onSpeechEnded(long lastVoicedSeq) {
            VoiceEvent.SpeechEnded ended = new VoiceEvent.SpeechEnded(route.sessionId(), turnId,
                    (lastVoicedSeq + 1) * Pcm.FRAME_MS, lastVoicedSeq);
            turnId = null;
            if (decisionDelayMs <= 0) {
                publishEnd(ended);
                return;
            }
            pendingEnd = ended;
            pendingEndTimer = Mono.delay(Duration.ofMillis(decisionDelayMs), timer)
                    .subscribe(tick -> publishPendingEnd());
        }

        /** Announces a pause whose decision delay is running now: at its time, or early when new speech starts. */
        private synchronized void publishPendingEnd() {
            if (pendingEndTimer != null) {
                pendingEndTimer.dispose();
                pendingEndTimer = null;
            }
            if (pendingEnd != null && !closed) {
                VoiceEvent.SpeechEnded ended = pendingEnd;
                pendingEnd = null;
                publishEnd(ended);
            }
        }

        private void publishEnd(VoiceEvent.SpeechEnded ended) {
            log.info("session {} turn {}: speech ended after frame {}", route.sessionId(), ended.turnId(),
                    ended.lastVoicedSeq());
            transport.publish(Topics.SPEECH, route, ended);
            transport.toDownlink(route, ended);
        }

        @Override
        public synchronized void close() {
            closed = true;
            frames.tryEmitComplete();
            scoring.dispose();
            if (pendingEndTimer != null) {
                pendingEndTimer.dispose();
            }
        }
    }
}

package dev.voxline.vad.stage;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.FrameArrivals;
import dev.voxline.contracts.audio.PackedFrames;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.TurnSpans;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.vad.engine.AudioFrame;
import dev.voxline.vad.engine.VadEngine;
import dev.voxline.vad.engine.VadScore;
import dev.voxline.vad.engine.VadSettings;
import dev.voxline.vad.segment.SpeechSegmenter;
import dev.voxline.vad.segment.VadProfile;
import io.micrometer.tracing.Span;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * voice.audio.in → voice.speech (+ downlink). Per session: the caller's frames go through the engine into a
 * {@link SpeechSegmenter}; every confirmed segment: {@code speech.started}, its audio (pre-roll first) on
 * voice.speech, then {@code speech.ended} once the silence window and the decision delay have passed, with a
 * {@code metrics.vad} event on voice.metrics. The detector is chosen per session by name
 * ({@code SessionConfig.engines.vad}, else {@code voxline.vad.engine}); an unknown name is reported to that session,
 * which goes on with the default.
 *
 * <p>Turns (docs/metrics.md): a segment after a pause continues the paused turn (same turnId) until llm-service
 * commits that turn ({@code turn.committed} on voice.control); speech after the commit starts a new turn.
 *
 * <p>Tracing: a voice turn's trace starts here. The root span {@code voice.turn} opens when speech is confirmed and
 * closes when the gateway reports the reply stopped playing ({@code playback.stopped}) or the turn was interrupted;
 * each segment is a {@code vad.speech} span, with the hop of its last voiced frame (gateway → vad) under it. Every
 * record of the turn carries the root's {@code traceparent}.
 */
public final class VadStage extends SessionStage<VadStage.VadSession> {

    /** The topic the stage consumes (with voice.control) in its group; its autoscaler watches this one's lag. */
    public static final String INPUT_TOPIC = Topics.AUDIO_IN;

    private static final Logger log = LoggerFactory.getLogger(VadStage.class);

    private final EngineRegistry<VadEngine> engines;
    private final VadProperties properties;
    private final VadProfile defaultProfile;
    private final Scheduler timer;
    /** Frames whose clock is kept: well over the longest silence window before a pause is decided. */
    private static final int FRAME_CLOCK_CAPACITY = 256;

    /**
     * {@code engines}: the detectors sessions choose from ({@code EngineRegistry.of} for one); {@code timer} runs the
     * decision delay.
     */
    public VadStage(VoiceTransport transport, TopicDeclarer topics, String groupId, EngineRegistry<VadEngine> engines,
                    VadProperties properties, Scheduler timer) {
        super(transport, topics, groupId, INPUT_TOPIC, List.of(Topics.SPEECH, Topics.METRICS));
        this.engines = engines;
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
        /** {@link #route} with the current turn's trace context. */
        private SessionRoute turnRoute;
        private final TurnSpans turnSpans;
        /** The segment in progress as a span. */
        private Span speechSpan;
        private SpeechSegmenter segmenter;
        private int decisionDelayMs = properties.decisionDelayMs();
        private int minInterruptionMs = properties.minInterruptionMs();
        /** The segment in progress: its first voiced frame, whether the agent was heard during it, pause sent. */
        private long segmentFirstVoicedSeq = -1;
        private boolean segmentOverAgent;
        private boolean interruptionSent;
        private VadEngine engine;
        private volatile Sinks.Many<AudioFrame> frames;
        private Disposable scoring;
        /** Which scoring subscription is current: scores and errors of a replaced one are ignored. */
        private int generation;
        /** The current turn: speaking, or paused and not yet committed; null when the next speech starts a turn. */
        private String turnId;
        private boolean speaking;
        /** Recent frames' arrival and hop, by seq, for the pause's clock fields (the last voiced frame). */
        private final FrameArrivals frameClock = new FrameArrivals(FRAME_CLOCK_CAPACITY);
        /** When each frame in the engine was handed to it (System.nanoTime), in input order. */
        private final Queue<Long> scoringStarted = new ConcurrentLinkedQueue<>();
        private double inferenceNanos;
        private long currentInferenceNanos;
        private int inferenceCount;
        private VoiceEvent.SpeechEnded pendingEnd;
        private VoiceEvent.VadMetrics pendingMetrics;
        private Disposable pendingEndTimer;
        private boolean closed;
        /** Speech audio not yet sent: {@link #speechFrames} frames from {@link #speechFirstSeq}. */
        private final ByteArrayOutputStream speechAudio = new ByteArrayOutputStream();
        private int speechFrames;
        private long speechFirstSeq;

        VadSession(SessionRoute route) {
            this.route = route;
            this.turnRoute = route;
            this.turnSpans = new TurnSpans(tracing, route.sessionId());
            this.segmenter = new SpeechSegmenter(defaultProfile, properties.preRollMs(), this);
            this.engine = engines.defaultEngine();
            startScoring();
        }

        private synchronized void startScoring() {
            int current = ++generation;
            frames = Sinks.many().unicast().onBackpressureBuffer();
            scoring = engine.score(frames.asFlux(), new VadSettings(AudioFormat.PIPELINE_RATE))
                    .subscribe(score -> onScore(current, score), error -> onEngineError(current, error));
        }

        /** Stops the current detector and starts {@code next}; frames still in the old one are dropped. */
        private synchronized void switchEngine(VadEngine next) {
            log.info("session {}: VAD engine {} -> {}", route.sessionId(), engine.name(), next.name());
            frames.tryEmitComplete();
            scoring.dispose();
            scoringStarted.clear();
            engine = next;
            startScoring();
        }

        private synchronized void onScore(int scoringGeneration, VadScore score) {
            if (scoringGeneration != generation) {
                return;
            }
            // One score per input frame, in order (the VadEngine contract): the head is this frame's start.
            Long started = scoringStarted.poll();
            long inference = score.inferenceNanos() >= 0 ? score.inferenceNanos()
                    : started != null ? System.nanoTime() - started : 0;
            if (!closed) {
                // Counted before the segmenter runs: the frame that ends the segment belongs to it, and the one
                // that confirms speech starts the next count (onSpeechStarted).
                currentInferenceNanos = inference;
                inferenceNanos += inference;
                inferenceCount++;
                segmenter.accept(score.frame(), score.probability());
            }
        }

        private synchronized void onEngineError(int scoringGeneration, Throwable error) {
            if (closed || scoringGeneration != generation) {
                return;
            }
            log.warn("VAD engine failed for session {} (turn {}): {}", route.sessionId(), turnId, error.toString());
            fail(turnRoute, turnId, error);
            VoiceTracing.end(speechSpan, 0);
            speechSpan = null;
            // The session goes on with a fresh detector (the default one if the session's own failed, so a model
            // that cannot load is reported once, not on every frame); a segment in progress is abandoned.
            turnId = null;
            speaking = false;
            discardSpeechAudio();
            scoringStarted.clear();
            segmenter = new SpeechSegmenter(segmenter.profile(), properties.preRollMs(), this);
            engine = engines.defaultEngine();
            startScoring();
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            EngineRegistry.Selection<VadEngine> selection = engines.select(
                    config.engines() != null ? config.engines().vad() : null);
            selection.problem().ifPresent(problem -> fail(route, turnId, new IllegalArgumentException(problem)));
            if (selection.engine() != engine) {
                switchEngine(selection.engine());
            }
            segmenter.setProfile(VadProfile.named(config.vadProfile(), defaultProfile));
            Integer delay = config.simulationOrEmpty().vadDecisionDelayMs();
            decisionDelayMs = delay != null ? Math.max(0, delay) : properties.decisionDelayMs();
            Integer interruption = config.turnTakingOrDefaults().minInterruptionMs();
            minInterruptionMs = interruption != null ? Math.max(0, interruption) : properties.minInterruptionMs();
        }

        /** A voice.audio.in record: one or more 20 ms frames ({@link PackedFrames}), each scored on its own. */
        @Override
        public void onInput(VoiceRecord record) {
            if (!record.isAudio()) {
                return;
            }
            byte[] pcm = record.value();
            int count = PackedFrames.frameCount(pcm);
            long firstSeq = record.longHeader(VoxHeaders.SEQ, -1);
            long[] arrivals = PackedFrames.arrivals(record.header(VoxHeaders.ARRIVAL_US), count);
            boolean agentSpeaking = Boolean.parseBoolean(record.header(VoxHeaders.AGENT_SPEAKING));
            for (int i = 0; i < count; i++) {
                AudioFrame frame = new AudioFrame(firstSeq < 0 ? -1 : firstSeq + i,
                        count == 1 ? pcm : PackedFrames.frame(pcm, i), arrivals[i], agentSpeaking);
                score(frame, record.hopMicros(), record.polledMicros());
            }
        }

        private void score(AudioFrame frame, long hopMicros, long polledMicros) {
            rememberClock(frame.seq(), frame.arrivalMicros(), hopMicros, polledMicros);
            scoringStarted.add(System.nanoTime());
            Sinks.EmitResult result = frames.tryEmitNext(frame);
            if (result.isFailure()) {
                scoringStarted.poll();
                log.warn("session {}: dropped frame {} ({})", route.sessionId(), frame.seq(), result);
            }
        }

        private synchronized void rememberClock(long seq, long arrivalMicros, long hopMicros, long polledMicros) {
            frameClock.record(seq, arrivalMicros, hopMicros, polledMicros);
        }

        /** llm-service decided the turn ended: the next speech is a new turn. */
        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (event instanceof VoiceEvent.TurnCommitted committed && committed.turnId() != null
                    && committed.turnId().equals(turnId) && !speaking) {
                // While the caller is still speaking in this turn, the commit is stale: the segment in progress
                // continues the turn and llm-service commits it again on its transcript.
                log.debug("session {} turn {}: committed; the next speech starts a new turn", route.sessionId(),
                        turnId);
                turnId = null;
            } else if (event instanceof VoiceEvent.PlaybackStopped stopped) {
                turnSpans.end(stopped.turnId(), 0, stopped.interrupted() ? "interrupted" : "played");
            } else if (event instanceof VoiceEvent.Interrupt interrupt && interrupt.turnId() != null) {
                turnSpans.end(interrupt.turnId(), 0, "interrupted");
            }
        }

        @Override
        public void onSpeechStarted(long firstVoicedSeq) {
            flushSpeechAudio(); // normally empty: a pause sends what is left
            publishPendingEnd();
            boolean continued = turnId != null;
            long startUs = Math.max(0, frameClock.arrivalMicros(firstVoicedSeq));
            if (!continued) {
                turnId = Ids.turnId();
                turnRoute = tracing.route(route, turnSpans.start(turnId, startUs));
            }
            speechSpan = tracing.startChild("vad.speech", turnSpans.get(turnId), route.sessionId(), turnId, startUs);
            speechSpan.tag("voice.vad.engine", engine.name());
            speechSpan.tag("voice.vad.continued", continued);
            speaking = true;
            segmentFirstVoicedSeq = firstVoicedSeq;
            segmentOverAgent = false;
            interruptionSent = false;
            inferenceNanos = currentInferenceNanos;
            inferenceCount = 1;
            VoiceEvent.SpeechStarted started = new VoiceEvent.SpeechStarted(route.sessionId(), turnId,
                    firstVoicedSeq * Pcm.FRAME_MS, firstVoicedSeq);
            log.info("session {} turn {}: speech {} at frame {}", route.sessionId(), turnId,
                    continued ? "resumed" : "started", firstVoicedSeq);
            transport.publish(Topics.SPEECH, turnRoute, started);
            transport.toDownlink(turnRoute, started);
        }

        /**
         * Packs the segment's frames into records of {@code speech-record-ms} while the stage is busy (one frame per
         * record otherwise); a pause sends what is left.
         */
        @Override
        public void onSpeechAudio(AudioFrame frame) {
            checkInterruption(frame);
            if (speechFrames == 0) {
                speechFirstSeq = frame.seq();
            }
            speechAudio.writeBytes(frame.pcm());
            if (++speechFrames >= properties.speechFramesPerRecord(activeSessions())) {
                flushSpeechAudio();
            }
        }

        /**
         * Barge-in by duration (vad-service owns it): once the caller has spoken over the agent's voice
         * for {@code minInterruptionMs}, the gateway is told at once (downlink) to pause the reply, and llm-service
         * (control) decides from the words whether it stops for good or resumes.
         */
        private void checkInterruption(AudioFrame frame) {
            if (frame.agentSpeaking()) {
                segmentOverAgent = true;
            }
            long lastVoiced = segmenter.lastVoicedSeq();
            if (!segmentOverAgent || interruptionSent || turnId == null || segmentFirstVoicedSeq < 0
                    || lastVoiced < segmentFirstVoicedSeq) {
                return;
            }
            // voiced time only: the silence that ends a short sound must not make it long enough
            long speechMs = (lastVoiced - segmentFirstVoicedSeq + 1) * Pcm.FRAME_MS;
            if (speechMs < minInterruptionMs) {
                return;
            }
            interruptionSent = true;
            VoiceEvent.InterruptPending pending = new VoiceEvent.InterruptPending(route.sessionId(), turnId,
                    speechMs, dev.voxline.kafka.WallClock.micros());
            log.info("session {} turn {}: the caller has spoken over the agent for {} ms; pausing its reply",
                    route.sessionId(), turnId, speechMs);
            transport.toDownlink(turnRoute, pending);
            transport.publish(Topics.CONTROL, turnRoute, pending);
        }

        private void flushSpeechAudio() {
            if (speechFrames == 0) {
                return;
            }
            if (turnId == null) {
                discardSpeechAudio();
                return;
            }
            byte[] pcm = speechAudio.toByteArray();
            discardSpeechAudio();
            transport.publishAudio(Topics.SPEECH, turnRoute, pcm, Map.of(
                    VoxHeaders.TURN, turnId,
                    VoxHeaders.SEQ, Long.toString(speechFirstSeq),
                    VoxHeaders.SAMPLE_RATE, Integer.toString(AudioFormat.PIPELINE_RATE)));
        }

        /** A segment abandoned (the detector failed) keeps none of its audio for the next one. */
        private void discardSpeechAudio() {
            speechAudio.reset();
            speechFrames = 0;
        }

        @Override
        public void onSpeechEnded(long lastVoicedSeq) {
            flushSpeechAudio();
            long speechEndUs = Math.max(0, frameClock.arrivalMicros(lastVoicedSeq));
            long hopMicros = frameClock.hopMicros(lastVoicedSeq);
            double hopMs = hopMicros >= 0 ? hopMicros / 1000.0 : -1;
            VoiceEvent.SpeechEnded ended = new VoiceEvent.SpeechEnded(route.sessionId(), turnId,
                    (lastVoicedSeq + 1) * Pcm.FRAME_MS, lastVoicedSeq, speechEndUs);
            VoiceEvent.VadMetrics metrics = new VoiceEvent.VadMetrics(route.sessionId(), turnId,
                    inferenceNanos / 1e6, inferenceCount, lastVoicedSeq, speechEndUs, hopMs);
            endSpeechSpan(lastVoicedSeq, speechEndUs);
            // The turn stays open across the pause until llm-service commits it.
            speaking = false;
            if (decisionDelayMs <= 0) {
                publishEnd(ended, metrics);
                return;
            }
            pendingEnd = ended;
            pendingMetrics = metrics;
            pendingEndTimer = Mono.delay(Duration.ofMillis(decisionDelayMs), timer)
                    .subscribe(tick -> publishPendingEnd());
        }

        /** The segment's span ends at its last voiced frame, with that frame's hop (gateway → vad) under it. */
        private void endSpeechSpan(long lastVoicedSeq, long speechEndUs) {
            if (speechSpan == null) {
                return;
            }
            long hopMicros = frameClock.hopMicros(lastVoicedSeq);
            long polledMicros = frameClock.polledMicros(lastVoicedSeq);
            if (hopMicros >= 0 && polledMicros > 0) {
                tracing.hop(tracing.traceparent(speechSpan), Topics.AUDIO_IN, VoxHeaders.AUDIO_TYPE,
                        route.sessionId(), turnId, polledMicros - hopMicros, polledMicros);
            }
            speechSpan.tag("voice.vad.last_voiced_seq", lastVoicedSeq);
            speechSpan.tag("voice.vad.inference_ms", inferenceNanos / 1e6);
            VoiceTracing.end(speechSpan, speechEndUs);
            speechSpan = null;
        }

        /** Announces a pause whose decision delay is running now: at its time, or early when new speech starts. */
        private synchronized void publishPendingEnd() {
            if (pendingEndTimer != null) {
                pendingEndTimer.dispose();
                pendingEndTimer = null;
            }
            if (pendingEnd != null && !closed) {
                VoiceEvent.SpeechEnded ended = pendingEnd;
                VoiceEvent.VadMetrics metrics = pendingMetrics;
                pendingEnd = null;
                pendingMetrics = null;
                publishEnd(ended, metrics);
            }
        }

        private void publishEnd(VoiceEvent.SpeechEnded ended, VoiceEvent.VadMetrics metrics) {
            log.info("session {} turn {}: speech paused after frame {}", route.sessionId(), ended.turnId(),
                    ended.lastVoicedSeq());
            transport.publish(Topics.SPEECH, turnRoute, ended);
            transport.toDownlink(turnRoute, ended);
            transport.publish(Topics.METRICS, turnRoute, metrics);
        }

        @Override
        public synchronized void close() {
            closed = true;
            VoiceTracing.end(speechSpan, 0);
            turnSpans.endAll("session ended");
            frames.tryEmitComplete();
            scoring.dispose();
            if (pendingEndTimer != null) {
                pendingEndTimer.dispose();
            }
        }
    }
}

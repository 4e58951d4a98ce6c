package dev.voxline.stt.stage;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.stt.engine.SttEngine;
import dev.voxline.stt.engine.SttResult;
import dev.voxline.stt.engine.SttSettings;
import io.micrometer.tracing.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * voice.speech → voice.transcripts (+ downlink). {@code speech.started} opens an utterance for its turn, the
 * turn's audio feeds it, {@code speech.ended} completes it; the engine's results go out as
 * {@code transcript.interim} / {@code transcript.final}. A failing engine fails that turn only.
 *
 * <p>A turn may hold several segments (speech resumed after a pause before llm-service committed the turn): each
 * segment is its own utterance with its own final. The speech markers ({@code speech.started}, {@code speech.ended})
 * are forwarded on voice.transcripts so llm-service sees speech and pauses; each final carries the pause's {@code speechEndUs} and is
 * followed by a {@code metrics.stt} event on voice.metrics.
 *
 * <p>Each session uses the engine its configuration names ({@code engines.stt}), or the service's default; an
 * unknown name is reported to that session as an error and it goes on with the default.
 */
public final class SttStage extends SessionStage<SttStage.SttSession> {

    /** The topic the stage consumes (with voice.control) in its group; its autoscaler watches this one's lag. */
    public static final String INPUT_TOPIC = Topics.SPEECH;

    private static final Logger log = LoggerFactory.getLogger(SttStage.class);

    private final EngineRegistry<SttEngine> engines;
    private final LongSupplier clockMicros;

    /**
     * {@code engines}: the recognisers sessions choose from ({@code EngineRegistry.of} for one);
     * {@code clockMicros}: the stage's clock for its own durations (tests pass virtual time).
     */
    public SttStage(VoiceTransport transport, TopicDeclarer topics, String groupId, EngineRegistry<SttEngine> engines,
                    LongSupplier clockMicros) {
        super(transport, topics, groupId, INPUT_TOPIC, List.of(Topics.TRANSCRIPTS, Topics.METRICS));
        this.engines = engines;
        this.clockMicros = clockMicros;
    }

    @Override
    protected SttSession open(SessionRoute route) {
        return new SttSession(route);
    }

    /**
     * One session; the utterance listening for each turn by turnId, and every utterance whose final is still
     * pending (normally one, but a final may still be pending when the next segment opens).
     */
    public final class SttSession implements StageSession {

        private final SessionRoute route;
        private final Map<String, Utterance> listening = new HashMap<>();
        private final List<Utterance> utterances = new ArrayList<>();
        private SessionConfig.Simulation simulation;
        private SttEngine engine = engines.defaultEngine();
        private boolean closed;

        SttSession(SessionRoute route) {
            this.route = route;
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            simulation = config.simulation();
            EngineRegistry.Selection<SttEngine> selection = engines.select(
                    config.engines() != null ? config.engines().stt() : null);
            engine = selection.engine();
            selection.problem().ifPresent(problem -> fail(route, null, new IllegalArgumentException(problem)));
        }

        @Override
        public void onInput(VoiceRecord record) {
            if (record.isAudio()) {
                feed(record.header(VoxHeaders.TURN), record.value());
                return;
            }
            VoiceEvent event = record.event();
            if (event instanceof VoiceEvent.SpeechStarted started) {
                int rate = (int) record.longHeader(VoxHeaders.SAMPLE_RATE, AudioFormat.PIPELINE_RATE);
                open(started.turnId(), rate, record);
                // llm-service needs to know the caller is speaking: a resumed turn waits, an interruption counts
                transport.publish(Topics.TRANSCRIPTS, record.route(), started);
            } else if (event instanceof VoiceEvent.SpeechEnded ended) {
                onPause(ended, record);
            }
        }

        private synchronized void feed(String turnId, byte[] pcm) {
            Utterance utterance = turnId == null ? null : listening.get(turnId);
            if (utterance != null) {
                utterance.audioBytes += pcm.length;
                utterance.audio.tryEmitNext(pcm);
            }
        }

        private synchronized void onPause(VoiceEvent.SpeechEnded ended, VoiceRecord record) {
            if (closed) {
                return;
            }
            Utterance utterance = ended.turnId() != null ? listening.remove(ended.turnId()) : null;
            if (utterance != null) {
                utterance.pauseAtMicros = clockMicros.getAsLong();
                utterance.speechEndUs = ended.speechEndUs();
                long hop = record.hopMicros();
                utterance.pauseHopMs = hop >= 0 ? hop / 1000.0 : -1;
                utterance.audio.tryEmitComplete();
            }
            // The pause marker travels on with the transcripts, so llm-service sees pauses.
            transport.publish(Topics.TRANSCRIPTS, utterance != null ? utterance.route : record.route(), ended);
        }

        private synchronized void open(String turnId, int sampleRate, VoiceRecord started) {
            if (closed || turnId == null || listening.containsKey(turnId)) {
                return;
            }
            // One utterance listens at a time: one that never heard its pause is finalised now.
            listening.values().forEach(other -> {
                other.pauseAtMicros = clockMicros.getAsLong();
                other.audio.tryEmitComplete();
            });
            listening.clear();
            Span span = tracing.startSpan("stt.transcribe", started.header(VoxHeaders.TRACEPARENT),
                    route.sessionId(), turnId, 0);
            span.tag("voice.stt.engine", engine.name());
            Utterance utterance = new Utterance(turnId, sampleRate, engine.name(), span, tracing.route(route, span));
            listening.put(turnId, utterance);
            utterances.add(utterance);
            utterance.results = engine.transcribe(utterance.audio.asFlux(),
                            new SttSettings(sampleRate, simulation))
                    .subscribe(result -> onResult(utterance, result), error -> onError(utterance, error),
                            () -> finish(utterance));
        }

        private synchronized void onResult(Utterance utterance, SttResult result) {
            if (closed || utterance.finished) {
                return;
            }
            VoiceEvent event;
            if (result.isFinal()) {
                log.info("session {} turn {}: final transcript ({} chars)", route.sessionId(), utterance.turnId,
                        result.text().length());
                log.debug("session {} turn {}: final transcript \"{}\"", route.sessionId(), utterance.turnId,
                        result.text());
                event = new VoiceEvent.TranscriptFinal(route.sessionId(), utterance.turnId, result.text(), false,
                        utterance.speechEndUs);
            } else {
                event = new VoiceEvent.TranscriptInterim(route.sessionId(), utterance.turnId, result.text());
            }
            transport.publish(Topics.TRANSCRIPTS, utterance.route, event);
            transport.toDownlink(utterance.route, event);
            if (result.isFinal()) {
                VoiceEvent.SttMetrics metrics = metrics(utterance, result);
                transport.publish(Topics.METRICS, utterance.route, metrics);
                endSpan(utterance, metrics, result.text());
            }
        }

        /**
         * STTMetrics: the pause reaching STT → the final; rtf from the engine's processing time, or (simulated
         * engines, which have no separate processing time) from that duration.
         */
        private VoiceEvent.SttMetrics metrics(Utterance utterance, SttResult result) {
            long now = clockMicros.getAsLong();
            double durationMs = utterance.pauseAtMicros >= 0 ? (now - utterance.pauseAtMicros) / 1000.0 : 0;
            double audioMs = utterance.audioBytes * 1000.0 / (utterance.sampleRate * 2.0);
            double processingMs = result.processingMs() >= 0 ? result.processingMs() : durationMs;
            double rtf = audioMs > 0 ? processingMs / audioMs : 0;
            return new VoiceEvent.SttMetrics(route.sessionId(), utterance.turnId, durationMs, audioMs, rtf, true,
                    utterance.pauseHopMs, utterance.engine);
        }

        /** The span covers speech start → final transcript; the text only when spans may carry it. */
        private void endSpan(Utterance utterance, VoiceEvent.SttMetrics metrics, String text) {
            utterance.span.tag("voice.stt.audio_ms", metrics.audioDurationMs());
            utterance.span.tag("voice.stt.duration_ms", metrics.durationMs());
            utterance.span.tag("voice.stt.rtf", metrics.rtf());
            if (tracing.recordText()) {
                utterance.span.tag("voice.transcript", text);
            }
            utterance.span.end();
        }

        private synchronized void onError(Utterance utterance, Throwable error) {
            if (closed || utterance.finished) {
                return;
            }
            log.warn("session {} turn {}: STT failed: {}", route.sessionId(), utterance.turnId, error.toString());
            fail(utterance.route, utterance.turnId, error);
            utterance.span.error(error);
            utterance.span.end();
            finish(utterance);
        }

        private synchronized void finish(Utterance utterance) {
            utterance.finished = true;
            utterances.remove(utterance);
            listening.remove(utterance.turnId, utterance);
        }

        @Override
        public synchronized void close() {
            closed = true;
            listening.clear();
            utterances.forEach(utterance -> {
                utterance.finished = true;
                utterance.span.end();
                if (utterance.results != null) {
                    utterance.results.dispose();
                }
            });
            utterances.clear();
        }
    }

    /** One segment of a turn's speech, from its {@code speech.started} to its final. */
    private static final class Utterance {
        final String turnId;
        final int sampleRate;
        /** The engine transcribing it (the session may choose another for its next utterance). */
        final String engine;
        /** {@code stt.transcribe}, and the route that carries its context on. */
        final Span span;
        final SessionRoute route;
        final Sinks.Many<byte[]> audio = Sinks.many().unicast().onBackpressureBuffer();
        Disposable results;
        boolean finished;
        long audioBytes;
        /** When the pause reached this stage (stage clock), -1 while listening. */
        long pauseAtMicros = -1;
        long speechEndUs;
        double pauseHopMs = -1;

        Utterance(String turnId, int sampleRate, String engine, Span span, SessionRoute route) {
            this.turnId = turnId;
            this.engine = engine;
            this.span = span;
            this.route = route;
            this.sampleRate = sampleRate > 0 ? sampleRate : AudioFormat.PIPELINE_RATE;
        }
    }
}

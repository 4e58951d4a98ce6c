package dev.voxline.tts.stage;

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
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsProperties;
import dev.voxline.tts.engine.TtsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * voice.replies → downlink. Per generation, clauses are spoken in index order (concatMap over a per-generation
 * sink) and every audio chunk goes to the caller's gateway partition, tagged with its turn, generation, sample
 * rate and, on a clause's first chunk, the clause text. Every generation ends with exactly one
 * {@code synthesis.done}: when {@code reply.done} has come and all its clauses are spoken, or
 * {@code cancelled=true} on a cancelled reply, an {@code interrupt} for the turn, or an engine failure — and one
 * {@code metrics.tts} on voice.metrics (TTFB from the first clause's arrival to its first chunk published). Each
 * session speaks with the engine its {@code session.started} names ({@code engines.tts}), else the default one.
 */
public final class TtsStage extends SessionStage<TtsStage.TtsSession> {

    /** The topic the stage consumes (with voice.control) in its group; its autoscaler watches this one's lag. */
    public static final String INPUT_TOPIC = Topics.REPLIES;

    private static final Logger log = LoggerFactory.getLogger(TtsStage.class);
    /** Generations remembered as finished, so late clauses or a second done for them are ignored. */
    private static final int FINISHED_MEMORY = 32;

    private final EngineRegistry<TtsEngine> engines;
    private final LongSupplier clockMicros;
    private final MeterRegistry meters;
    private final int chunksPerRecord;

    /**
     * Each session speaks with the engine its {@code engines.tts} names, else with {@code engines}' default
     * ({@code EngineRegistry.of} for one); a name this service does not have is an {@code error} for that session,
     * which then gets the default. {@code properties}: how many engine chunks go in one voice.downlink record
     * ({@link ReplyRecords}); {@code clockMicros}: the stage's clock for its own durations (tests pass virtual time);
     * {@code meters}: where the per-clause TTFB timer goes, null for none.
     */
    public TtsStage(VoiceTransport transport, TopicDeclarer topics, String groupId, EngineRegistry<TtsEngine> engines,
                    TtsProperties properties, LongSupplier clockMicros, MeterRegistry meters) {
        super(transport, topics, groupId, INPUT_TOPIC, List.of(Topics.METRICS));
        this.engines = engines;
        this.chunksPerRecord = properties.chunksPerRecord();
        this.clockMicros = clockMicros;
        this.meters = meters;
    }

    @Override
    protected TtsSession open(SessionRoute route) {
        return new TtsSession(route);
    }

    /** One session: its syntheses by generationId. Chunks arrive on a timer thread, hence the locking. */
    public final class TtsSession implements StageSession {

        private final SessionRoute route;
        private final Map<String, Synthesis> syntheses = new LinkedHashMap<>();
        private final LinkedHashSet<String> finished = new LinkedHashSet<>();
        private int outputRate = AudioFormat.PIPELINE_RATE;
        private String voice;
        private SessionConfig.Simulation simulation;
        private TtsEngine engine = engines.defaultEngine();
        private boolean closed;

        TtsSession(SessionRoute route) {
            this.route = route;
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            outputRate = config.outputSampleRate() > 0 ? config.outputSampleRate() : AudioFormat.PIPELINE_RATE;
            voice = config.voice();
            simulation = config.simulation();
            EngineRegistry.Selection<TtsEngine> selection = engines.select(
                    config.engines() != null ? config.engines().tts() : null);
            engine = selection.engine();
            selection.problem().ifPresent(problem -> fail(route, null, new IllegalArgumentException(problem)));
        }

        @Override
        public synchronized void onInput(VoiceRecord record) {
            if (closed || record.isAudio()) {
                return;
            }
            VoiceEvent event = record.event();
            if (event instanceof VoiceEvent.ReplyClause clause) {
                Synthesis synthesis = syntheses.get(clause.generationId());
                if (synthesis == null && !finished.contains(clause.generationId())) {
                    synthesis = start(clause.turnId(), clause.generationId(), record.header(VoxHeaders.TRACEPARENT));
                    synthesis.firstClauseMicros = clockMicros.getAsLong();
                    long hop = record.hopMicros();
                    synthesis.firstClauseHopMs = hop >= 0 ? hop / 1000.0 : -1;
                }
                if (synthesis != null) {
                    synthesis.characters += clause.text() != null ? clause.text().length() : 0;
                    synthesis.offer(clause);
                }
            } else if (event instanceof VoiceEvent.ReplyDone done) {
                Synthesis synthesis = syntheses.get(done.generationId());
                if (synthesis != null) {
                    if (done.cancelled()) {
                        cancel(synthesis, "reply cancelled");
                    } else {
                        synthesis.expect(done.clauses());
                    }
                } else if (!finished.contains(done.generationId())) {
                    // Nothing was spoken (an empty or early-cancelled reply): still close the turn for the gateway,
                    // and tell metrics-service this stage had nothing to time.
                    announceDone(record.route(), done.turnId(), done.generationId(), 0, done.cancelled());
                    transport.publish(Topics.METRICS, route, new VoiceEvent.TtsMetrics(route.sessionId(),
                            done.turnId(), done.generationId(), -1, 0, 0, 0, done.cancelled(), -1, engine.name(),
                            voice));
                }
            }
        }

        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (event instanceof VoiceEvent.Interrupt interrupt) {
                for (Synthesis synthesis : new ArrayList<>(syntheses.values())) {
                    // never the caller's interrupting turn: its reply may already be on its way (another topic)
                    if ((interrupt.turnId() == null || interrupt.turnId().equals(synthesis.turnId))
                            && !synthesis.turnId.equals(interrupt.interruptingTurnId())) {
                        cancel(synthesis, "interrupted by " + interrupt.source());
                    }
                }
            }
        }

        /**
         * Starts speaking a generation, as a {@code tts.synthesize} span under the one that sent its first clause
         * ({@code llm.generate}); its audio carries that span's context to the gateway.
         */
        private Synthesis start(String turnId, String generationId, String parentTraceparent) {
            TtsEngine engine = this.engine;
            Span span = tracing.startSpan("tts.synthesize", parentTraceparent, route.sessionId(), turnId, 0);
            span.tag("voice.tts.engine", engine.name());
            span.tag("voice.generation_id", generationId);
            Synthesis synthesis = new Synthesis(turnId, generationId, outputRate, engine.name(), voice, span, tracing.route(route, span));
            syntheses.put(generationId, synthesis);
            TtsSettings settings = new TtsSettings(outputRate, voice, simulation);
            log.info("session {} turn {}: synthesis of generation {} started ({})", route.sessionId(), turnId,
                    generationId, engine.name());
            synthesis.subscription = synthesis.clauses.asFlux()
                    .concatMap(clause -> Flux.defer(() -> {
                        long started = clockMicros.getAsLong();
                        return ReplyRecords.growing(engine.synthesize(clause.text(), settings), chunksPerRecord)
                                .index()
                                .doOnNext(indexed -> {
                                    if (indexed.getT1() == 0) {
                                        clauseTtfb(synthesis, clause, engine, clockMicros.getAsLong() - started);
                                    }
                                })
                                .map(indexed -> new Chunk(clause, indexed.getT1() == 0, indexed.getT2()));
                    }))
                    .subscribe(chunk -> onChunk(synthesis, chunk), error -> onError(synthesis, error),
                            () -> onComplete(synthesis));
            return synthesis;
        }

        /**
         * A clause's TTFB: from the engine starting it (its arrival, or the end of the clause before it) to its
         * first chunk; on the {@code voxline.tts.clause.ttfb} timer and in the debug log.
         */
        private void clauseTtfb(Synthesis synthesis, VoiceEvent.ReplyClause clause, TtsEngine engine, long micros) {
            if (log.isDebugEnabled()) {
                log.debug("session {} turn {}: clause {} tts_ttfb {} ms ({})", route.sessionId(), synthesis.turnId,
                        clause.index(), micros / 1000.0, engine.name());
            }
            if (meters != null) {
                Timer.builder("voxline.tts.clause.ttfb")
                        .description("Clause received or reached → its first audio chunk from the engine")
                        .tag("engine", engine.name())
                        .publishPercentileHistogram()
                        .register(meters)
                        .record(micros, TimeUnit.MICROSECONDS);
            }
        }

        private synchronized void onChunk(Synthesis synthesis, Chunk chunk) {
            if (synthesis.finished || closed) {
                return;
            }
            Map<String, String> headers = new HashMap<>(6);
            headers.put(VoxHeaders.TURN, synthesis.turnId);
            headers.put(VoxHeaders.GENERATION, synthesis.generationId);
            headers.put(VoxHeaders.SAMPLE_RATE, Integer.toString(synthesis.sampleRate));
            if (chunk.first()) {
                headers.put(VoxHeaders.TEXT, chunk.clause().text());
            }
            transport.publishAudio(Topics.DOWNLINK, synthesis.route, chunk.pcm(), headers);
            if (synthesis.firstChunkMicros < 0) {
                synthesis.firstChunkMicros = clockMicros.getAsLong();
            }
            synthesis.audioBytes += chunk.pcm().length;
        }

        private synchronized void onComplete(Synthesis synthesis) {
            if (!synthesis.finished) {
                finish(synthesis, false);
            }
        }

        private synchronized void onError(Synthesis synthesis, Throwable error) {
            if (synthesis.finished) {
                return;
            }
            log.warn("session {} turn {}: synthesis of generation {} failed: {}", route.sessionId(),
                    synthesis.turnId, synthesis.generationId, error.toString());
            fail(synthesis.route, synthesis.turnId, error);
            synthesis.span.error(error);
            finish(synthesis, true);
        }

        private void cancel(Synthesis synthesis, String reason) {
            if (synthesis.finished) {
                return;
            }
            log.info("session {} turn {}: synthesis of generation {} stopped: {}", route.sessionId(),
                    synthesis.turnId, synthesis.generationId, reason);
            synthesis.subscription.dispose();
            finish(synthesis, true);
        }

        private void finish(Synthesis synthesis, boolean cancelled) {
            synthesis.finished = true;
            syntheses.remove(synthesis.generationId);
            VoiceEvent.TtsMetrics metrics = metrics(synthesis, cancelled);
            if (!closed) {
                announceDone(synthesis.route, synthesis.turnId, synthesis.generationId,
                        Pcm.durationMs(synthesis.audioBytes, synthesis.sampleRate), cancelled);
                transport.publish(Topics.METRICS, synthesis.route, metrics);
            }
            synthesis.span.tag("voice.tts.ttfb_ms", metrics.ttfbMs());
            synthesis.span.tag("voice.tts.audio_ms", metrics.audioDurationMs());
            synthesis.span.tag("voice.tts.characters", metrics.charactersCount());
            synthesis.span.tag("voice.tts.cancelled", cancelled);
            synthesis.span.end();
        }

        /** TTSMetrics: from the first clause's arrival; TTFB -1 when no audio was produced. */
        private VoiceEvent.TtsMetrics metrics(Synthesis synthesis, boolean cancelled) {
            long end = clockMicros.getAsLong();
            double ttfbMs = synthesis.firstChunkMicros >= 0
                    ? (synthesis.firstChunkMicros - synthesis.firstClauseMicros) / 1000.0 : -1;
            double durationMs = (end - synthesis.firstClauseMicros) / 1000.0;
            double audioMs = synthesis.audioBytes * 1000.0 / (synthesis.sampleRate * 2.0);
            return new VoiceEvent.TtsMetrics(route.sessionId(), synthesis.turnId, synthesis.generationId, ttfbMs,
                    durationMs, audioMs, synthesis.characters, cancelled, synthesis.firstClauseHopMs,
                    synthesis.engine, synthesis.voice);
        }

        private void announceDone(SessionRoute to, String turnId, String generationId, long audioMs,
                                  boolean cancelled) {
            finished.add(generationId);
            if (finished.size() > FINISHED_MEMORY) {
                Iterator<String> oldest = finished.iterator();
                oldest.next();
                oldest.remove();
            }
            transport.toDownlink(to, new VoiceEvent.SynthesisDone(route.sessionId(), turnId, generationId,
                    audioMs, cancelled));
        }

        @Override
        public synchronized void close() {
            closed = true;
            syntheses.values().forEach(synthesis -> {
                synthesis.finished = true;
                if (synthesis.subscription != null) {
                    synthesis.subscription.dispose();
                }
                synthesis.span.tag("voice.tts.cancelled", true);
                synthesis.span.end();
            });
            syntheses.clear();
        }
    }

    private record Chunk(VoiceEvent.ReplyClause clause, boolean first, byte[] pcm) {
    }

    /** One generation's clauses, spoken in index order whatever order they arrive in. */
    private static final class Synthesis {
        final String turnId;
        final String generationId;
        final int sampleRate;
        final String engine;
        final String voice;
        /** {@code tts.synthesize}, and the route carrying its context with the audio. */
        final Span span;
        final SessionRoute route;
        final Sinks.Many<VoiceEvent.ReplyClause> clauses = Sinks.many().unicast().onBackpressureBuffer();
        final TreeMap<Integer, VoiceEvent.ReplyClause> early = new TreeMap<>();
        Disposable subscription;
        int nextIndex;
        int expected = -1;
        long audioBytes;
        boolean finished;
        long firstClauseMicros;
        double firstClauseHopMs = -1;
        long firstChunkMicros = -1;
        int characters;

        Synthesis(String turnId, String generationId, int sampleRate, String engine, String voice, Span span,
                  SessionRoute route) {
            this.turnId = turnId;
            this.span = span;
            this.route = route;
            this.generationId = generationId;
            this.sampleRate = sampleRate;
            this.engine = engine;
            this.voice = voice;
        }

        void offer(VoiceEvent.ReplyClause clause) {
            if (clause.index() < nextIndex) {
                return; // a duplicate
            }
            early.put(clause.index(), clause);
            VoiceEvent.ReplyClause next;
            while ((next = early.remove(nextIndex)) != null) {
                clauses.tryEmitNext(next);
                nextIndex++;
            }
            completeWhenAllArrived();
        }

        void expect(int count) {
            expected = count;
            completeWhenAllArrived();
        }

        private void completeWhenAllArrived() {
            if (expected >= 0 && nextIndex >= expected) {
                clauses.tryEmitComplete();
            }
        }
    }
}

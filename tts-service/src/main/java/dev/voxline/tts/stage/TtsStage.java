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
import dev.voxline.tts.engine.TtsEngine;
import dev.voxline.tts.engine.TtsSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * voice.replies → downlink. Per generation, clauses are spoken in index order (concatMap over a per-generation
 * sink) and every audio chunk goes to the caller's gateway partition, tagged with its turn, generation, sample
 * rate and, on a clause's first chunk, the clause text. Every generation ends with exactly one
 * {@code synthesis.done}: when {@code reply.done} has come and all its clauses are spoken, or
 * {@code cancelled=true} on a cancelled reply, an {@code interrupt} for the turn, or an engine failure.
 */
public final class TtsStage extends SessionStage<TtsStage.TtsSession> {

    private static final Logger log = LoggerFactory.getLogger(TtsStage.class);
    /** Generations remembered as finished, so late clauses or a second done for them are ignored. */
    private static final int FINISHED_MEMORY = 32;

    private final TtsEngine engine;

    public TtsStage(VoiceTransport transport, TopicDeclarer topics, String groupId, TtsEngine engine) {
        super(transport, topics, groupId, Topics.REPLIES, List.of());
        this.engine = engine;
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
        private boolean closed;

        TtsSession(SessionRoute route) {
            this.route = route;
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            outputRate = config.outputSampleRate() > 0 ? config.outputSampleRate() : AudioFormat.PIPELINE_RATE;
            voice = config.voice();
            simulation = config.simulation();
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
                    synthesis = start(clause.turnId(), clause.generationId());
                }
                if (synthesis != null) {
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
                    // Nothing was spoken (an empty or early-cancelled reply): still close the turn for the gateway.
                    announceDone(done.turnId(), done.generationId(), 0, done.cancelled());
                }
            }
        }

        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (event instanceof VoiceEvent.Interrupt interrupt) {
                for (Synthesis synthesis : new ArrayList<>(syntheses.values())) {
                    if (interrupt.turnId() == null || interrupt.turnId().equals(synthesis.turnId)) {
                        cancel(synthesis, "interrupted by " + interrupt.source());
                    }
                }
            }
        }

        private Synthesis start(String turnId, String generationId) {
            Synthesis synthesis = new Synthesis(turnId, generationId, outputRate);
            syntheses.put(generationId, synthesis);
            TtsSettings settings = new TtsSettings(outputRate, voice, simulation);
            log.info("session {} turn {}: synthesis of generation {} started", route.sessionId(), turnId,
                    generationId);
            synthesis.subscription = synthesis.clauses.asFlux()
                    .concatMap(clause -> engine.synthesize(clause.text(), settings).index()
                            .map(indexed -> new Chunk(clause, indexed.getT1() == 0, indexed.getT2())))
                    .subscribe(chunk -> onChunk(synthesis, chunk), error -> onError(synthesis, error),
                            () -> onComplete(synthesis));
            return synthesis;
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
            transport.publishAudio(Topics.DOWNLINK, route, chunk.pcm(), headers);
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
            fail(route, synthesis.turnId, error);
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
            if (!closed) {
                announceDone(synthesis.turnId, synthesis.generationId,
                        Pcm.durationMs(synthesis.audioBytes, synthesis.sampleRate), cancelled);
            }
        }

        private void announceDone(String turnId, String generationId, long audioMs, boolean cancelled) {
            finished.add(generationId);
            if (finished.size() > FINISHED_MEMORY) {
                Iterator<String> oldest = finished.iterator();
                oldest.next();
                oldest.remove();
            }
            transport.toDownlink(route, new VoiceEvent.SynthesisDone(route.sessionId(), turnId, generationId,
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
        final Sinks.Many<VoiceEvent.ReplyClause> clauses = Sinks.many().unicast().onBackpressureBuffer();
        final TreeMap<Integer, VoiceEvent.ReplyClause> early = new TreeMap<>();
        Disposable subscription;
        int nextIndex;
        int expected = -1;
        long audioBytes;
        boolean finished;

        Synthesis(String turnId, String generationId, int sampleRate) {
            this.turnId = turnId;
            this.generationId = generationId;
            this.sampleRate = sampleRate;
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

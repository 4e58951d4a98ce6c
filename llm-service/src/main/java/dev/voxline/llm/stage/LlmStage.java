package dev.voxline.llm.stage;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.llm.chunking.SentenceChunker;
import dev.voxline.llm.config.LlmProperties;
import dev.voxline.llm.conversation.Conversation;
import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmEngines;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.kafka.WallClock;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * voice.transcripts → voice.replies (+ downlink). Every non-empty final transcript, spoken or typed, starts a
 * generation (any generation still running for the session is cancelled first): each token is a
 * {@code reply.delta} for the client, each released clause a {@code reply.clause} for TTS, and the end a
 * {@code reply.done} for both. An {@code interrupt} on voice.control, or an engine failure, ends the generation
 * with {@code reply.done cancelled=true}, so TTS and the gateway always close the turn.
 *
 * <p>The turn clock (DESIGN.md §3): accepting a final is the end-of-turn decision — {@code turn.committed} on
 * voice.control (vad-service starts a new turn on the next speech) and {@code metrics.eou} on voice.metrics; every
 * generation ends with {@code metrics.llm}, completed or cancelled. A final for the turn whose generation is still
 * running means the caller went on after a pause: that generation is cancelled and a new one answers the combined
 * text of the turn.
 *
 * <p>The engine is the session's choice ({@code SessionConfig.engines.llm}) or the configured default; an unknown or
 * unavailable one is reported to that session as an error, and the session goes on with the default. Token counts in
 * {@code metrics.llm} are the model's own when it reports usage, else words.
 */
public final class LlmStage extends SessionStage<LlmStage.LlmSession> {

    private static final Logger log = LoggerFactory.getLogger(LlmStage.class);

    private final LlmEngines engines;
    private final LlmProperties properties;
    private final LongSupplier clockMicros;

    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, LlmEngines engines,
                    LlmProperties properties) {
        this(transport, topics, groupId, engines, properties, WallClock::micros);
    }

    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, LlmEngine engine,
                    LlmProperties properties) {
        this(transport, topics, groupId, LlmEngines.of(engine), properties, WallClock::micros);
    }

    /** One engine for every session (tests). */
    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, LlmEngine engine,
                    LlmProperties properties, LongSupplier clockMicros) {
        this(transport, topics, groupId, LlmEngines.of(engine), properties, clockMicros);
    }

    /**
     * {@code clockMicros}: wall-clock epoch µs (the unit of {@code speechEndUs}); tests pass virtual time, in which
     * the engine's timings are exact.
     */
    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, LlmEngines engines,
                    LlmProperties properties, LongSupplier clockMicros) {
        super(transport, topics, groupId, Topics.TRANSCRIPTS, List.of(Topics.REPLIES, Topics.METRICS));
        this.engines = engines;
        this.properties = properties;
        this.clockMicros = clockMicros;
    }

    @Override
    protected LlmSession open(SessionRoute route) {
        return new LlmSession(route);
    }

    /** One session: its conversation and at most one running generation. Engine callbacks arrive on a timer thread. */
    public final class LlmSession implements StageSession {

        private final SessionRoute route;
        private final Conversation conversation;
        private SessionConfig.Simulation simulation;
        /** Null until the session names one: the default. */
        private LlmEngine engine;
        private Generation current;
        /** The most recent generation, running or finished: a later final of its turn continues that turn. */
        private Generation latest;
        private boolean closed;

        LlmSession(SessionRoute route) {
            this.route = route;
            this.conversation = new Conversation(properties.systemPrompt(), properties.historyMessages());
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            simulation = config.simulation();
            String name = config.engines() != null ? config.engines().llm() : null;
            try {
                engine = engines.get(name);
            } catch (RuntimeException e) {
                engine = null;
                fail(route, null, new IllegalArgumentException(e.getMessage() + "; using the default engine '"
                        + engines.defaultName() + "'", e));
                return;
            }
            log.info("session {}: LLM engine {}", route.sessionId(), engine.name());
        }

        @Override
        public void onInput(VoiceRecord record) {
            if (record.isAudio()) {
                return;
            }
            // speech.ended (pause markers forwarded by stt-service) is not used yet: the turn ends on its final.
            if (record.event() instanceof VoiceEvent.TranscriptFinal transcript) {
                onFinal(transcript, record);
            }
        }

        private synchronized void onFinal(VoiceEvent.TranscriptFinal transcript, VoiceRecord record) {
            if (closed) {
                return;
            }
            if (transcript.text() == null || transcript.text().isBlank()) {
                log.debug("session {} turn {}: empty final transcript ignored", route.sessionId(),
                        transcript.turnId());
                return;
            }
            long now = clockMicros.getAsLong();
            String userText = transcript.text().strip();
            ChatRequest request;
            String generationId = Ids.generationId();
            if (latest != null && latest.turnId.equals(transcript.turnId())) {
                // The caller went on after a pause before vad-service saw this turn's commit: the turn is answered
                // again, for everything said; the earlier generation (running or finished) is superseded.
                userText = latest.userText + " " + userText;
                cancel(latest, "the caller went on after a pause", generationId);
                request = conversation.userWentOn(userText);
            } else {
                cancel(current, "superseded by turn " + transcript.turnId(), null);
                request = conversation.userSaid(userText);
            }
            Generation generation = new Generation(transcript.turnId(), generationId,
                    new SentenceChunker(properties.minClauseChars()), userText, now, promptTokens(request));
            current = generation;
            latest = generation;
            log.info("session {} turn {}: generation {} started ({} input)", route.sessionId(), generation.turnId,
                    generation.generationId, transcript.typed() ? "typed" : "spoken");
            log.debug("session {} turn {}: user said \"{}\"", route.sessionId(), generation.turnId, userText);
            commit(transcript, record, generation, now);
            LlmEngine chosen = engine != null ? engine : engines.defaultEngine();
            generation.subscription = chosen.stream(request, new LlmSettings(simulation)).subscribe(
                    chunk -> onChunk(generation, chunk),
                    error -> onError(generation, error),
                    () -> onComplete(generation));
        }

        /** The end-of-turn decision: now, on the final transcript. */
        private void commit(VoiceEvent.TranscriptFinal transcript, VoiceRecord record, Generation generation,
                            long nowMicros) {
            transport.publish(Topics.CONTROL, route, new VoiceEvent.TurnCommitted(route.sessionId(),
                    generation.turnId, generation.generationId));
            double eouDelayMs;
            double transcriptionDelayMs;
            if (transcript.typed()) {
                eouDelayMs = 0; // the typed turn's clock starts at the gateway, with the text
                transcriptionDelayMs = 0;
            } else if (transcript.speechEndUs() > 0) {
                long arrival = record.polledMicros() > 0 ? record.polledMicros() : nowMicros;
                eouDelayMs = (nowMicros - transcript.speechEndUs()) / 1000.0;
                transcriptionDelayMs = (arrival - transcript.speechEndUs()) / 1000.0;
            } else {
                eouDelayMs = -1; // end of speech unknown
                transcriptionDelayMs = -1;
            }
            transport.publish(Topics.METRICS, route, new VoiceEvent.EouMetrics(route.sessionId(), generation.turnId,
                    eouDelayMs, transcriptionDelayMs, transcript.typed(), hopMs(record)));
        }

        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (event instanceof VoiceEvent.Interrupt interrupt && current != null
                    && (interrupt.turnId() == null || interrupt.turnId().equals(current.turnId))) {
                cancel(current, "interrupted by " + interrupt.source(), null);
            }
        }

        private synchronized void onChunk(Generation generation, LlmChunk chunk) {
            if (generation.finished) {
                return;
            }
            if (chunk.usage() != null) {
                generation.usage = chunk.usage();
            }
            if (chunk.hasText()) {
                onToken(generation, chunk.text());
            }
        }

        private void onToken(Generation generation, String token) {
            if (generation.firstTokenMicros < 0) {
                generation.firstTokenMicros = clockMicros.getAsLong();
            }
            generation.completionTokens++;
            generation.text.append(token);
            transport.toDownlink(route, new VoiceEvent.ReplyDelta(route.sessionId(), generation.turnId,
                    generation.generationId, token));
            for (String clause : generation.chunker.accept(token)) {
                publishClause(generation, clause);
            }
        }

        private synchronized void onComplete(Generation generation) {
            if (generation.finished) {
                return;
            }
            String rest = generation.chunker.flush();
            if (rest != null) {
                publishClause(generation, rest);
            }
            finish(generation, false, null);
        }

        private synchronized void onError(Generation generation, Throwable error) {
            if (generation.finished) {
                return;
            }
            log.warn("session {} turn {}: generation {} failed: {}", route.sessionId(), generation.turnId,
                    generation.generationId, error.toString());
            fail(route, generation.turnId, error);
            finish(generation, true, null);
        }

        /** Stops a running generation; {@code supersededBy}: the generation that answers its turn instead. */
        private void cancel(Generation generation, String reason, String supersededBy) {
            if (generation == null || generation.finished) {
                return;
            }
            log.info("session {} turn {}: generation {} cancelled: {}", route.sessionId(), generation.turnId,
                    generation.generationId, reason);
            if (generation.subscription != null) {
                generation.subscription.dispose();
            }
            finish(generation, true, supersededBy);
        }

        private void publishClause(Generation generation, String clause) {
            if (generation.firstClauseMicros < 0) {
                generation.firstClauseMicros = clockMicros.getAsLong();
            }
            transport.publish(Topics.REPLIES, route, new VoiceEvent.ReplyClause(route.sessionId(),
                    generation.turnId, generation.generationId, generation.clauses++, clause));
        }

        private void finish(Generation generation, boolean cancelled, String supersededBy) {
            generation.finished = true;
            if (current == generation) {
                current = null;
            }
            if (closed) {
                return;
            }
            String text = generation.text.toString();
            VoiceEvent.ReplyDone done = new VoiceEvent.ReplyDone(route.sessionId(), generation.turnId,
                    generation.generationId, text, generation.clauses, cancelled, supersededBy);
            transport.publish(Topics.REPLIES, route, done);
            transport.toDownlink(route, done);
            transport.publish(Topics.METRICS, route, metrics(generation, cancelled));
            conversation.agentSaid(text);
        }

        /** LLMMetrics: request start is the commit; -1 for what never happened (no token, no clause). */
        private VoiceEvent.LlmMetrics metrics(Generation generation, boolean cancelled) {
            long end = clockMicros.getAsLong();
            double durationMs = (end - generation.startMicros) / 1000.0;
            double ttftMs = generation.firstTokenMicros >= 0
                    ? (generation.firstTokenMicros - generation.startMicros) / 1000.0 : -1;
            double firstClauseDelayMs = generation.firstTokenMicros >= 0 && generation.firstClauseMicros >= 0
                    ? (generation.firstClauseMicros - generation.firstTokenMicros) / 1000.0 : -1;
            double streamingMs = ttftMs >= 0 ? durationMs - ttftMs : 0;
            int promptTokens = generation.promptTokens;
            int completionTokens = generation.completionTokens;
            if (generation.usage != null) { // the model's own counts
                promptTokens = generation.usage.promptTokens();
                completionTokens = generation.usage.completionTokens();
            }
            double tokensPerSecond = streamingMs > 0 ? completionTokens / (streamingMs / 1000.0) : 0;
            return new VoiceEvent.LlmMetrics(route.sessionId(), generation.turnId, generation.generationId, ttftMs,
                    firstClauseDelayMs, durationMs, promptTokens, completionTokens, tokensPerSecond, cancelled);
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (current != null) {
                current.finished = true;
                if (current.subscription != null) {
                    current.subscription.dispose();
                }
                current = null;
            }
        }
    }

    /** Without the model's usage report, the prompt's size is its whitespace-separated words. */
    static int promptTokens(ChatRequest request) {
        int words = 0;
        for (ChatRequest.Message message : request.messages()) {
            String content = message.content() != null ? message.content().strip() : "";
            if (!content.isEmpty()) {
                words += content.split("\\s+").length;
            }
        }
        return words;
    }

    private static double hopMs(VoiceRecord record) {
        long hop = record.hopMicros();
        return hop >= 0 ? hop / 1000.0 : -1;
    }

    private static final class Generation {
        final String turnId;
        final String generationId;
        final SentenceChunker chunker;
        final StringBuilder text = new StringBuilder();
        /** What the caller said in this turn (all of it, when they went on after a pause). */
        final String userText;
        final long startMicros;
        final int promptTokens;
        long firstTokenMicros = -1;
        long firstClauseMicros = -1;
        /** Deltas received (the fallback count). */
        int completionTokens;
        /** The model's usage report, when it sent one. */
        LlmChunk.Usage usage;
        Disposable subscription;
        int clauses;
        boolean finished;

        Generation(String turnId, String generationId, SentenceChunker chunker, String userText, long startMicros,
                   int promptTokens) {
            this.turnId = turnId;
            this.generationId = generationId;
            this.chunker = chunker;
            this.userText = userText;
            this.startMicros = startMicros;
            this.promptTokens = promptTokens;
        }
    }
}

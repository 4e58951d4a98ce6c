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
import dev.voxline.llm.conversation.ContextBudget;
import dev.voxline.llm.conversation.ContextSummarizer;
import dev.voxline.llm.conversation.Conversation;
import dev.voxline.llm.conversation.LlmContextSummarizer;
import dev.voxline.llm.conversation.TruncatingContextSummarizer;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmEngines;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.kafka.WallClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

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
 *
 * <p>The context (docs/conversation.md): each session's {@link Conversation} is pruned to a token budget; what leaves
 * it is summarised off the turn's path (by the session's model when that is the {@code openai} engine, else cut to a
 * line); every change is published to voice.context as a {@code context.snapshot}, and a session that ends leaves a
 * tombstone there. When partitions are assigned to this instance, their sessions' latest snapshots are read back from
 * the beginning of voice.context and seed those sessions before their next turn.
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
        super(transport, topics, groupId, Topics.TRANSCRIPTS, List.of(Topics.REPLIES, Topics.METRICS,
                Topics.CONTEXT));
        this.engines = engines;
        this.properties = properties;
        this.clockMicros = clockMicros;
    }

    @Override
    protected LlmSession open(SessionRoute route) {
        return new LlmSession(route);
    }

    @Override
    protected boolean restoresState() {
        return properties.context().persist();
    }

    @Override
    protected Duration restoreWait() {
        return properties.context().restoreWait();
    }

    /** The latest record per session of those partitions of voice.context, then each applied (tombstones skipped). */
    @Override
    protected Mono<Void> restore(Set<Integer> partitions) {
        Map<String, VoiceRecord> latest = new LinkedHashMap<>(); // one reader thread fills it, then applies it
        return transport.readFromBeginning(Topics.CONTEXT, partitions, record -> {
            if (record.sessionId() != null) {
                latest.remove(record.sessionId());
                latest.put(record.sessionId(), record);
            }
        }).then(Mono.fromRunnable(() -> latest.values().forEach(this::applySnapshot)));
    }

    private void applySnapshot(VoiceRecord record) {
        if (record.isTombstone()) {
            return;
        }
        VoiceEvent.ContextSnapshot snapshot;
        try {
            if (!(record.event() instanceof VoiceEvent.ContextSnapshot decoded)) {
                return;
            }
            snapshot = decoded;
        } catch (RuntimeException e) {
            log.warn("unreadable context of session {} on {}-{}@{}: {}", record.sessionId(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        restoreSession(record.partition(), record.route().withTraceparent(null), snapshot.config(),
                (session, late) -> session.restore(snapshot, late));
    }

    /** One session: its conversation and at most one running generation. Engine callbacks arrive on a timer thread. */
    public final class LlmSession implements StageSession {

        private final SessionRoute route;
        private final Conversation conversation;
        private SessionConfig config;
        private SessionConfig.Simulation simulation;
        /** The summary being made, if any: one at a time, the next covers what left the budget meanwhile. */
        private Disposable summarizing;
        private long summaryRun;
        /** The run whose summary is awaited, 0 when none. */
        private long summaryInFlight;
        /** Null until the session names one: the default. */
        private LlmEngine engine;
        private Generation current;
        /** The most recent generation, running or finished: a later final of its turn continues that turn. */
        private Generation latest;
        private boolean closed;

        LlmSession(SessionRoute route) {
            this.route = route;
            this.conversation = new Conversation(properties.systemPrompt(), new ContextBudget(
                    properties.historyMessages(), properties.context().maxTokens()));
            this.conversation.onChange(this::contextChanged);
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            this.config = config;
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
            conversation.agentSaid(generation.generationId, text);
        }

        /** After every change of the conversation (under this session's lock). */
        private void contextChanged() {
            if (closed) {
                return;
            }
            if (properties.context().persist()) {
                Conversation.Snapshot state = conversation.snapshot();
                transport.publish(Topics.CONTEXT, route, new VoiceEvent.ContextSnapshot(route.sessionId(),
                        state.seq(), state.summary(), state.messages().stream()
                        .map(m -> new VoiceEvent.ContextSnapshot.Message(m.role(), m.content())).toList(), config));
            }
            summarizeDropped();
        }

        /** Starts a summary of what left the budget, unless one is being made; it is applied when it arrives. */
        private void summarizeDropped() {
            List<ChatRequest.Message> dropped = conversation.dropped();
            if (summaryInFlight != 0 || dropped.isEmpty()) {
                return;
            }
            String previous = conversation.summary();
            ContextSummarizer truncating = new TruncatingContextSummarizer(properties.context().summaryMaxWords() * 8);
            LlmEngine chosen = engine != null ? engine : engines.defaultEngine();
            ContextSummarizer summarizer = OpenAiLlmEngine.NAME.equals(chosen.name())
                    ? new LlmContextSummarizer(chosen, properties.context().summaryMaxWords(), SUMMARY_TIMEOUT)
                    : truncating;
            long run = ++summaryRun;
            summaryInFlight = run;
            Disposable subscription = summarizer.summarize(dropped, previous)
                    .onErrorResume(error -> {
                        log.warn("session {}: summary by {} failed, keeping a truncated one: {}", route.sessionId(),
                                chosen.name(), error.toString());
                        return truncating.summarize(dropped, previous);
                    })
                    .switchIfEmpty(truncating.summarize(dropped, previous))
                    .subscribe(summary -> onSummary(run, dropped.size(), summary),
                            error -> onSummary(run, 0, null),
                            () -> onSummary(run, 0, null));
            if (summaryInFlight == run) { // not done at once (a truncated summary is)
                summarizing = subscription;
            }
        }

        /** {@code summary} null: the run ended without one (nothing to keep, or a failure). */
        private synchronized void onSummary(long run, int covered, String summary) {
            if (summaryInFlight != run) {
                return; // a later signal of a run already applied
            }
            summaryInFlight = 0;
            summarizing = null;
            if (closed || summary == null) {
                return;
            }
            log.debug("session {}: summary of {} messages applied", route.sessionId(), covered);
            conversation.summarised(covered, summary);
            summarizeDropped(); // what left the budget while this one was made
        }

        /** Restored context (from voice.context); {@code late}: turns may have run here without it. */
        synchronized void restore(VoiceEvent.ContextSnapshot snapshot, boolean late) {
            if (closed) {
                return;
            }
            List<ChatRequest.Message> messages = snapshot.messages().stream()
                    .map(m -> new ChatRequest.Message(m.role(), m.content())).toList();
            if (conversation.restore(new Conversation.Snapshot(snapshot.seq(), snapshot.summary(), messages), late)) {
                log.info("session {}: context restored ({} messages{}, seq {}){}", route.sessionId(),
                        messages.size(), snapshot.summary() != null ? " and a summary" : "", snapshot.seq(),
                        late ? " after turns went on without it" : "");
                summarizeDropped();
            }
        }

        /** The session ended: its context is forgotten on voice.context too. */
        @Override
        public synchronized void end() {
            close();
            if (properties.context().persist()) {
                transport.publishTombstone(Topics.CONTEXT, route);
            }
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
            summaryInFlight = 0;
            if (summarizing != null) {
                summarizing.dispose();
                summarizing = null;
            }
            if (current != null) {
                current.finished = true;
                if (current.subscription != null) {
                    current.subscription.dispose();
                }
                current = null;
            }
        }
    }

    /** A summary that takes longer is given up for a truncated one. */
    static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(20);

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

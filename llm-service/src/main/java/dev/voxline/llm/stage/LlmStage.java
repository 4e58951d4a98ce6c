package dev.voxline.llm.stage;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.SessionStage;
import dev.voxline.kafka.TopicDeclarer;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTransport;
import dev.voxline.kafka.WallClock;
import dev.voxline.kafka.engine.EngineRegistry;
import dev.voxline.llm.chunking.SentenceChunker;
import dev.voxline.llm.conversation.ContextBudget;
import dev.voxline.llm.conversation.ContextSummarizer;
import dev.voxline.llm.conversation.Conversation;
import dev.voxline.llm.conversation.LlmContextSummarizer;
import dev.voxline.llm.conversation.TruncatingContextSummarizer;
import dev.voxline.llm.engine.ChatRequest;
import dev.voxline.llm.engine.LlmChunk;
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import dev.voxline.llm.engine.OpenAiLlmEngine;
import dev.voxline.llm.turn.EndOfTurnDetector;
import dev.voxline.llm.turn.EndpointingPolicy;
import dev.voxline.llm.turn.IdlePrompts;
import dev.voxline.llm.turn.InterruptionWords;
import dev.voxline.llm.turn.PauseLearner;
import dev.voxline.llm.turn.TranscriptRules;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * voice.transcripts → voice.replies (+ downlink). Every non-empty final transcript, spoken or typed, starts a
 * generation (any generation still running for the session is cancelled first): each token is a
 * {@code reply.delta} for the client, each released clause a {@code reply.clause} for TTS, and the end a
 * {@code reply.done} for both. An {@code interrupt} on voice.control, or an engine failure, ends the generation
 * with {@code reply.done cancelled=true}, so TTS and the gateway always close the turn.
 *
 * <p>The turn clock (docs/metrics.md): accepting a final is the end-of-turn decision — {@code turn.committed} on
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
 *
 * <p>The idle prompt (docs/conversation.md): with a {@code userIdleTimeoutMs}, silence of the caller for that long —
 * after the agent's reply played to its end ({@code playback.stopped}, not interrupted) or since the session started —
 * makes the agent take a turn of its own: an {@code agent.turn} with a new turnId, then a reply like any other
 * (clauses to TTS, {@code reply.done}, metrics), recorded as an assistant message. The caller's speech or typing
 * cancels the wait and resets the count; after {@code maxIdlePrompts} in a row the agent waits silently.
 */
public final class LlmStage extends SessionStage<LlmStage.LlmSession> {

    /** The topic the stage consumes (with voice.control) in its group; its autoscaler watches this one's lag. */
    public static final String INPUT_TOPIC = Topics.TRANSCRIPTS;

    private static final Logger log = LoggerFactory.getLogger(LlmStage.class);

    private final EngineRegistry<LlmEngine> engines;
    private final LlmProperties properties;
    private final LongSupplier clockMicros;
    private final Scheduler timer;
    private final EndOfTurnDetector endOfTurn;
    private final EndpointingPolicy endpointing;
    private final InterruptionWords interruptionWords;
    private final IdlePrompts idlePrompts;

    /**
     * {@code engines}: the chat models sessions choose from ({@code EngineRegistry.of} for one); {@code clockMicros}:
     * wall-clock epoch µs (the unit of {@code speechEndUs}); {@code timer} runs the end-of-turn and interruption
     * waits. Tests pass virtual time, in which the engine's timings are exact, and a virtual {@code timer}.
     */
    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, EngineRegistry<LlmEngine> engines,
                    LlmProperties properties, LongSupplier clockMicros, Scheduler timer) {
        super(transport, topics, groupId, INPUT_TOPIC, List.of(Topics.REPLIES, Topics.METRICS,
                Topics.CONTEXT));
        this.engines = engines;
        this.properties = properties;
        this.clockMicros = clockMicros;
        this.timer = timer;
        this.endOfTurn = new TranscriptRules();
        LlmProperties.TurnTaking turnTaking = properties.turnTaking();
        this.endpointing = new EndpointingPolicy(turnTaking.undecidedEndpointingMs(),
                EndpointingPolicy.DEFAULT.margin());
        this.interruptionWords = new InterruptionWords(turnTaking.backchannels().isEmpty()
                ? InterruptionWords.DEFAULT_BACKCHANNELS : Set.copyOf(turnTaking.backchannels()));
        this.idlePrompts = new IdlePrompts(turnTaking.idlePrompts(), turnTaking.maxIdlePrompts());
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

    /**
     * One session: its conversation, the caller's turn waiting for its end to be decided, at most one running
     * generation, and the state of an interruption of the agent. Engine callbacks and timers arrive on other
     * threads, hence the locking.
     */
    public final class LlmSession implements StageSession {

        private final SessionRoute route;
        private final Conversation conversation;
        private final PauseLearner pauses = new PauseLearner();
        private SessionConfig.Simulation simulation;
        private SessionConfig.TurnTaking sessionTurnTaking = SessionConfig.TurnTaking.none();
        private int vadSilenceMs = VAD_LOW_LATENCY_SILENCE_MS;
        private SessionConfig config;
        /** The summary being made, if any: one at a time, the next covers what left the budget meanwhile. */
        private Disposable summarizing;
        private long summaryRun;
        /** The run whose summary is awaited, 0 when none. */
        private long summaryInFlight;
        /** The session's choice, else the default. */
        private LlmEngine engine = engines.defaultEngine();
        private Generation current;
        /** The most recent generation, running or finished: a later final of its turn continues that turn. */
        private Generation latest;
        /** The caller's turn whose end is not decided yet (its final came, its silence is still being waited on). */
        private PendingTurn pending;
        /** Where the caller's speech last paused, by turn, in input-audio ms (for the pauses they make). */
        private String lastPausedTurn;
        private long lastPauseAudioMs = -1;
        /** The wall-clock end ({@code speechEndUs}) of that pause: a final of an earlier pause has more to come. */
        private long lastPauseSpeechEndUs;
        /** The turn whose caller is speaking now (speech.started without its speech.ended yet), or null. */
        private String speakingTurn;
        /** The agent's reply audio is reaching the caller (playback.started … playback.stopped from the gateway). */
        private String playingTurn;
        /** The last turn whose reply the caller began to hear (kept after it stops, unlike {@link #playingTurn}). */
        private String lastAudibleTurn;
        private Interruption interruption;
        /** The wait for the caller to say something, null when none runs; {@code idleRun} tells stale ticks apart. */
        private Disposable idleTimer;
        private long idleRun;
        /** Idle prompts since the caller last spoke or typed. */
        private int promptsInARow;
        /** The idle prompt that has not started playing yet (its turn and generation), else null. */
        private String unplayedPromptTurn;
        private String unplayedPromptGeneration;
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
            sessionTurnTaking = config.turnTakingOrDefaults();
            vadSilenceMs = HIGH_ACCURACY.equals(config.vadProfile()) ? VAD_HIGH_ACCURACY_SILENCE_MS
                    : VAD_LOW_LATENCY_SILENCE_MS;
            if (conversation.history().isEmpty() && current == null && pending == null && playingTurn == null) {
                waitForCaller(); // the session started and nothing was said yet
            }
            EngineRegistry.Selection<LlmEngine> selection = engines.select(
                    config.engines() != null ? config.engines().llm() : null);
            engine = selection.engine();
            selection.problem().ifPresent(problem -> fail(route, null, new IllegalArgumentException(problem)));
            log.info("session {}: LLM engine {}", route.sessionId(), engine.name());
        }

        // ---- settings: the session's own, else the service's

        private long minEndpointingMs() {
            Integer own = sessionTurnTaking.minEndpointingDelayMs();
            int configured = own != null ? own : properties.turnTaking().minEndpointingDelayMs();
            return configured >= 0 ? configured : vadSilenceMs;
        }

        private long maxEndpointingMs() {
            Integer own = sessionTurnTaking.maxEndpointingDelayMs();
            return Math.max(minEndpointingMs(), own != null ? own : properties.turnTaking().maxEndpointingDelayMs());
        }

        private boolean preemptive() {
            Boolean own = sessionTurnTaking.preemptiveGeneration();
            return own != null ? own : properties.turnTaking().preemptiveGeneration();
        }

        private int minInterruptionWords() {
            Integer own = sessionTurnTaking.minInterruptionWords();
            return Math.max(1, own != null ? own : properties.turnTaking().minInterruptionWords());
        }

        private long falseInterruptionTimeoutMs() {
            Integer own = sessionTurnTaking.falseInterruptionTimeoutMs();
            return Math.max(0, own != null ? own : properties.turnTaking().falseInterruptionTimeoutMs());
        }

        private long userIdleTimeoutMs() {
            Integer own = sessionTurnTaking.userIdleTimeoutMs();
            return Math.max(0, own != null ? own : properties.turnTaking().userIdleTimeoutMs());
        }

        // ---- input: speech markers and transcripts

        @Override
        public void onInput(VoiceRecord record) {
            if (record.isAudio()) {
                return;
            }
            VoiceEvent event = record.event();
            if (event instanceof VoiceEvent.TranscriptFinal transcript) {
                onFinal(transcript, record);
            } else if (event instanceof VoiceEvent.TranscriptInterim interim) {
                onInterim(interim);
            } else if (event instanceof VoiceEvent.SpeechStarted started) {
                onSpeechStarted(started);
            } else if (event instanceof VoiceEvent.SpeechEnded ended) {
                onSpeechEnded(ended);
            }
        }

        /** The caller speaks (again): a turn waiting for its end goes on, and its early reply is dropped. */
        private synchronized void onSpeechStarted(VoiceEvent.SpeechStarted started) {
            if (closed) {
                return;
            }
            callerActive(started.turnId());
            if (started.turnId() != null && started.turnId().equals(lastPausedTurn) && lastPauseAudioMs >= 0) {
                pauses.observe(started.audioMs() - lastPauseAudioMs); // a pause inside the turn
            } else if (latest != null && !started.turnId().equals(latest.turnId) && lastPauseAudioMs >= 0
                    && started.audioMs() - lastPauseAudioMs <= maxEndpointingMs()
                    && !latest.turnId.equals(lastAudibleTurn)) {
                // speech soon after a committed turn, before its answer was heard: most likely the same thought,
                // answered too early (once the answer is audible, speech is a reaction to it or a barge-in)
                pauses.observe(started.audioMs() - lastPauseAudioMs);
            }
            speakingTurn = started.turnId();
            if (pending != null && pending.turnId.equals(started.turnId())) {
                log.info("session {} turn {}: the caller went on after {} ms; the end of turn waits",
                        route.sessionId(), pending.turnId, started.audioMs() - Math.max(0, lastPauseAudioMs));
                pending.cancelTimer();
                if (pending.preemptive != null) {
                    discard(pending.preemptive, "the caller went on");
                    pending.preemptive = null;
                }
            }
        }

        private synchronized void onSpeechEnded(VoiceEvent.SpeechEnded ended) {
            if (closed) {
                return;
            }
            lastPausedTurn = ended.turnId();
            lastPauseAudioMs = ended.audioMs();
            lastPauseSpeechEndUs = ended.speechEndUs();
            if (ended.turnId() != null && ended.turnId().equals(speakingTurn)) {
                speakingTurn = null;
            }
            if (pending != null && pending.waitsForTheRest && pending.turnId.equals(ended.turnId())) {
                onSpeechEndedWhileHeld();
            }
            if (interruption != null && interruption.turnId.equals(ended.turnId()) && !interruption.decided) {
                interruption.restartTimer(); // the false-interruption wait runs from the caller's last speech
            }
        }

        private synchronized void onInterim(VoiceEvent.TranscriptInterim interim) {
            if (closed || interim.turnId() == null) {
                return;
            }
            callerActive(interim.turnId());
            if (pausedBy(interim.turnId())
                    && interruptionWords.wordsBeyondBackchannels(interim.text()) >= minInterruptionWords()) {
                interruptAgent(interim.turnId(), "the caller said \"…\" over the agent");
            }
        }

        private synchronized void onFinal(VoiceEvent.TranscriptFinal transcript, VoiceRecord record) {
            if (closed) {
                return;
            }
            if (transcript.text() == null || transcript.text().isBlank()) {
                log.debug("session {} turn {}: empty final transcript ignored", route.sessionId(),
                        transcript.turnId());
                onNoWords(transcript.turnId());
                if (current == null && pending == null && playingTurn == null
                        && (interruption == null || interruption.decided)) {
                    waitForCaller(); // a noise, not an answer: the caller is still silent
                }
                return;
            }
            callerActive(transcript.turnId());
            long now = clockMicros.getAsLong();
            String text = transcript.text().strip();
            if (!transcript.typed() && pausedBy(transcript.turnId())) {
                if (interruptionWords.wordsBeyondBackchannels(text) < minInterruptionWords()) {
                    onBackchannel(transcript.turnId(), text);
                    return;
                }
                interruptAgent(transcript.turnId(), "the caller spoke over the agent");
            } else if (!transcript.typed() && playingTurn != null && !playingTurn.equals(transcript.turnId())
                    && (interruption == null || !interruption.turnId.equals(transcript.turnId()))) {
                // speech over the agent too short to interrupt it (vad-service never paused it): a listener's
                // signal, not a turn of its own
                onBackchannel(transcript.turnId(), text);
                return;
            }
            boolean answeredBefore = false;
            if (pending != null && pending.turnId.equals(transcript.turnId())) {
                // the caller went on after a pause before the turn was decided: one turn, all of it
                text = pending.text + " " + text;
                answeredBefore = pending.answeredBefore; // its words are in the conversation already
                pending.cancelTimer();
                if (pending.preemptive != null) {
                    discard(pending.preemptive, "the caller went on");
                }
            } else if (pending != null) {
                pending.cancelTimer();
                if (pending.preemptive != null) {
                    discard(pending.preemptive, "superseded by turn " + transcript.turnId());
                }
            }
            if (pending != null) {
                pending.endSpan("superseded"); // the caller went on: the decision is the new pending turn's
            }
            pending = new PendingTurn(transcript, record, text, now);
            pending.span = tracing.startSpan("llm.end_of_turn", record.header(VoxHeaders.TRACEPARENT),
                    route.sessionId(), transcript.turnId(),
                    transcript.typed() || transcript.speechEndUs() <= 0 ? 0 : transcript.speechEndUs());
            pending.traceparent = record.header(VoxHeaders.TRACEPARENT);
            pending.answeredBefore = answeredBefore;
            if (transcript.typed()) {
                commit(pending); // typed text is complete by definition: its clock started at the gateway
                return;
            }
            if (callerWentOnAfter(transcript)) {
                // The final came after the caller had already spoken again (a slow recogniser): their turn is not
                // over whatever its words say; the final of what they said since extends it and decides.
                pending.waitsForTheRest = true;
                log.info("session {} turn {}: the caller went on before this transcript arrived; the end of turn "
                        + "waits for the rest", route.sessionId(), transcript.turnId());
                if (speakingTurn == null) {
                    onSpeechEndedWhileHeld();
                }
                return;
            }
            decide(pending, transcript.speechEndUs(), now);
        }

        /** The caller spoke again in this transcript's turn after the pause it transcribes. */
        private boolean callerWentOnAfter(VoiceEvent.TranscriptFinal transcript) {
            String turnId = transcript.turnId();
            if (turnId.equals(speakingTurn)) {
                return true;
            }
            return transcript.speechEndUs() > 0 && turnId.equals(lastPausedTurn)
                    && lastPauseSpeechEndUs > transcript.speechEndUs();
        }

        /** The rest's final decides; this timer only ends a turn whose final never comes (an STT failure). */
        private void onSpeechEndedWhileHeld() {
            PendingTurn held = pending;
            held.cancelTimer();
            held.timer = Mono.delay(Duration.ofMillis(maxEndpointingMs() + MISSING_FINAL_GRACE_MS), timer)
                    .subscribe(tick -> commitOnTimer(held));
        }

        /**
         * How long the silence after {@code turn}'s speech (which ended at {@code speechEndUs}, 0 if unknown) must
         * last, and the wait for what is left of it.
         */
        private void decide(PendingTurn turn, long speechEndUs, long now) {
            VoiceEvent.TranscriptFinal transcript = turn.transcript;
            String text = turn.text;
            double probability = endOfTurn.endOfTurnProbability(text, conversation.history());
            long delayMs = endpointing.delayMs(probability, pauses, minEndpointingMs(), maxEndpointingMs());
            // the silence already waited: from the end of speech, or (unknown) the VAD's own window
            long silentMs = speechEndUs > 0 ? (now - speechEndUs) / 1000 : minEndpointingMs();
            long waitMs = delayMs - silentMs;
            turn.delayMs = delayMs;
            turn.span.tag("voice.eou.probability", probability);
            turn.span.tag("voice.eou.delay_ms", delayMs);
            log.info("session {} turn {}: end of turn p={} → {} ms of silence ({} ms to go)", route.sessionId(),
                    transcript.turnId(), String.format(java.util.Locale.ROOT, "%.2f", probability), delayMs,
                    Math.max(0, waitMs));
            if (waitMs <= 0) {
                commit(turn);
                return;
            }
            if (preemptive()) {
                turn.preemptive = startGeneration(turn, false);
            }
            PendingTurn waiting = turn;
            waiting.timer = Mono.delay(Duration.ofMillis(waitMs), timer).subscribe(tick -> commitOnTimer(waiting));
        }

        private synchronized void commitOnTimer(PendingTurn turn) {
            if (!closed && pending == turn) {
                commit(turn);
            }
        }

        /**
         * The end-of-turn decision: {@code turn.committed} on voice.control (vad-service starts a new turn on the
         * next speech), {@code metrics.eou}, and the reply — the preemptive one released, or a new one.
         */
        private void commit(PendingTurn turn) {
            pending = null;
            long now = clockMicros.getAsLong();
            Generation generation = turn.preemptive;
            boolean continued = latest != null && latest.turnId.equals(turn.turnId) && generation == null;
            if (generation == null) {
                generation = startGeneration(turn, true);
            } else {
                release(generation);
            }
            if (continued) {
                log.debug("session {} turn {}: answered again for everything said", route.sessionId(), turn.turnId);
            }
            SessionRoute decided = tracing.route(route, turn.span);
            transport.publish(Topics.CONTROL, decided, new VoiceEvent.TurnCommitted(route.sessionId(),
                    turn.turnId, generation.generationId));
            VoiceEvent.TranscriptFinal transcript = turn.transcript;
            double eouDelayMs;
            double transcriptionDelayMs;
            if (transcript.typed()) {
                eouDelayMs = 0; // the typed turn's clock starts at the gateway, with the text
                transcriptionDelayMs = 0;
            } else if (transcript.speechEndUs() > 0) {
                eouDelayMs = (now - transcript.speechEndUs()) / 1000.0;
                transcriptionDelayMs = (turn.arrivalMicros - transcript.speechEndUs()) / 1000.0;
            } else {
                eouDelayMs = -1; // end of speech unknown
                transcriptionDelayMs = -1;
            }
            transport.publish(Topics.METRICS, decided, new VoiceEvent.EouMetrics(route.sessionId(), turn.turnId,
                    eouDelayMs, transcriptionDelayMs, transcript.typed(), turn.hopMs));
            turn.span.tag("voice.eou_delay_ms", eouDelayMs);
            turn.span.tag("voice.llm.preemptive", turn.preemptive != null);
            turn.endSpan("committed");
        }

        /**
         * Starts answering {@code turn}. A generation that is not {@code released} is preemptive: its tokens and
         * clauses are kept until the turn is committed, so a reply to a turn that goes on never reaches the caller.
         */
        private Generation startGeneration(PendingTurn turn, boolean released) {
            String generationId = Ids.generationId();
            ChatRequest request;
            if (latest != null && latest.turnId.equals(turn.turnId)) {
                // The caller went on after a pause (before vad-service saw the commit): the turn is answered again,
                // for everything said; the earlier generation (running or finished) is superseded.
                String combined = latest.userText + " " + turn.text;
                cancel(latest, "the caller went on after a pause", generationId);
                turn.text = combined;
                request = conversation.userWentOn(combined);
            } else if (turn.answeredBefore) {
                request = conversation.userWentOn(turn.text);
            } else {
                cancel(current, "superseded by turn " + turn.turnId, null);
                request = conversation.userSaid(turn.text);
            }
            turn.answeredBefore = true;
            LlmEngine chosen = engine;
            Generation generation = new Generation(turn.turnId, generationId,
                    new SentenceChunker(properties.minClauseChars()), turn.text, clockMicros.getAsLong(),
                    promptTokens(request), released);
            trace(generation, turn.traceparent, chosen.name(), chosen.model() != null ? chosen.model() : chosen.name(),
                    !released);
            current = generation;
            if (released) {
                latest = generation;
            }
            log.info("session {} turn {}: generation {} started ({} input{})", route.sessionId(), generation.turnId,
                    generation.generationId, turn.transcript.typed() ? "typed" : "spoken",
                    released ? "" : ", preemptive");
            log.debug("session {} turn {}: user said \"{}\"", route.sessionId(), generation.turnId, turn.text);
            generation.engine = chosen;
            generation.subscription = chosen.stream(request, new LlmSettings(simulation)).subscribe(
                    chunk -> onChunk(generation, chunk),
                    error -> onError(generation, error),
                    () -> onComplete(generation));
            return generation;
        }

        /**
         * {@code llm.generate}: a child of the span that brought the words (the transcript's), with the GenAI
         * semantic conventions' attributes; everything the generation produces carries its context.
         */
        private void trace(Generation generation, String parentTraceparent, String system, String model,
                           boolean preemptive) {
            Span span = tracing.startSpan("llm.generate", parentTraceparent, route.sessionId(), generation.turnId,
                    generation.startMicros);
            span.tag("gen_ai.operation.name", "chat");
            span.tag("gen_ai.system", system);
            span.tag("gen_ai.request.model", model);
            span.tag("voice.generation_id", generation.generationId);
            span.tag("voice.llm.preemptive", preemptive);
            generation.span = span;
            generation.route = tracing.route(route, span);
        }

        /** The preemptive generation's turn is committed: what it has produced goes out now, the rest live. */
        private void release(Generation generation) {
            generation.released = true;
            latest = generation;
            if (generation.heldText.length() > 0) {
                transport.toDownlink(generation.route, new VoiceEvent.ReplyDelta(route.sessionId(), generation.turnId,
                        generation.generationId, generation.heldText.toString()));
                generation.heldText.setLength(0);
            }
            for (String clause : generation.heldClauses) {
                publishClause(generation, clause);
            }
            generation.heldClauses.clear();
            if (generation.completedWhileHeld) {
                finish(generation, false, null);
            } else if (generation.failedWhileHeld != null) {
                fail(generation.route, generation.turnId, generation.failedWhileHeld);
                finish(generation, true, null);
            }
        }

        /** Drops a preemptive generation that never reached anyone: nothing to tell the caller or TTS. */
        private void discard(Generation generation, String reason) {
            if (generation.finished && !generation.completedWhileHeld) {
                return;
            }
            log.info("session {} turn {}: preemptive generation {} dropped: {}", route.sessionId(),
                    generation.turnId, generation.generationId, reason);
            generation.finished = true;
            if (generation.subscription != null) {
                generation.subscription.dispose();
            }
            if (current == generation) {
                current = null;
            }
            generation.span.tag("voice.llm.outcome", "discarded");
            generation.span.end();
        }

        // ---- interruptions

        /** The agent's reply is paused by the caller's {@code turnId} and what it was is not decided yet. */
        private boolean pausedBy(String turnId) {
            return interruption != null && interruption.turnId.equals(turnId) && !interruption.decided;
        }

        /** Words over the agent: it stops for good (LLM and TTS work cancelled, the gateway clears its audio). */
        private void interruptAgent(String interruptingTurnId, String reason) {
            if (interruption != null && interruption.turnId.equals(interruptingTurnId) && interruption.stopped) {
                return;
            }
            if (interruption == null || !interruption.turnId.equals(interruptingTurnId)) {
                clearInterruption();
                interruption = new Interruption(interruptingTurnId);
            }
            interruption.cancelTimer();
            interruption.decided = true;
            interruption.stopped = true;
            String agentTurn = playingTurn != null ? playingTurn : current != null ? current.turnId : null;
            log.info("session {} turn {}: interrupts the agent's turn {}", route.sessionId(), interruptingTurnId,
                    agentTurn);
            VoiceEvent.Interrupt stop = new VoiceEvent.Interrupt(route.sessionId(), null, "llm", reason,
                    interruptingTurnId, WallClock.micros());
            transport.toDownlink(route, stop);
            transport.publish(Topics.CONTROL, route, stop);
            if (current != null && !current.turnId.equals(interruptingTurnId)) {
                cancel(current, "interrupted by the caller", null);
            }
            playingTurn = null;
        }

        /** Only a listener's signal ("mm-hm") over the agent: it goes on; the turn ends here without a reply. */
        private void onBackchannel(String turnId, String text) {
            log.info("session {} turn {}: backchannel over the agent; it goes on", route.sessionId(), turnId);
            log.debug("session {} turn {}: backchannel \"{}\"", route.sessionId(), turnId, text);
            transport.publish(Topics.METRICS, route, new VoiceEvent.InterruptionMetrics(route.sessionId(),
                    playingTurn, VoiceEvent.InterruptionMetrics.BACKCHANNEL, -1));
            if (interruption != null && interruption.turnId.equals(turnId) && !interruption.decided) {
                resume(VoiceEvent.InterruptResumed.BACKCHANNEL, text);
            }
            endWithoutReply(turnId);
        }

        /** The caller's turn produced no words at all. */
        private void onNoWords(String turnId) {
            if (interruption != null && interruption.turnId.equals(turnId) && !interruption.decided) {
                resume(VoiceEvent.InterruptResumed.NO_WORDS, null);
                endWithoutReply(turnId);
                return;
            }
            if (pending != null && pending.waitsForTheRest && pending.turnId.equals(turnId)
                    && !turnId.equals(speakingTurn)) {
                // what the caller said after the held words was no words at all: the held words decide
                pending.waitsForTheRest = false;
                pending.cancelTimer();
                decide(pending, lastPauseSpeechEndUs, clockMicros.getAsLong());
            }
        }

        /** The turn is over with nothing to answer: vad-service starts a new one on the next speech. */
        private void endWithoutReply(String turnId) {
            if (pending != null && pending.turnId.equals(turnId)) {
                pending.cancelTimer();
                pending = null;
            }
            transport.publish(Topics.CONTROL, route, new VoiceEvent.TurnCommitted(route.sessionId(), turnId, null));
        }

        private synchronized void onInterruptionTimeout(Interruption timedOut) {
            if (closed || interruption != timedOut || timedOut.decided) {
                return;
            }
            log.info("session {} turn {}: no words within {} ms; the agent resumes", route.sessionId(),
                    timedOut.turnId, falseInterruptionTimeoutMs());
            resume(VoiceEvent.InterruptResumed.NO_WORDS, null);
            transport.publish(Topics.CONTROL, route, new VoiceEvent.TurnCommitted(route.sessionId(),
                    timedOut.turnId, null));
        }

        /** A false interruption: the gateway resumes the paused reply. */
        private void resume(String reason, String text) {
            Interruption resolved = interruption;
            resolved.decided = true;
            resolved.cancelTimer();
            VoiceEvent.InterruptResumed resumed = new VoiceEvent.InterruptResumed(route.sessionId(), resolved.turnId,
                    reason, text);
            transport.toDownlink(route, resumed);
            transport.publish(Topics.CONTROL, route, resumed);
            if (VoiceEvent.InterruptResumed.NO_WORDS.equals(reason)) {
                transport.publish(Topics.METRICS, route, new VoiceEvent.InterruptionMetrics(route.sessionId(),
                        playingTurn, VoiceEvent.InterruptionMetrics.FALSE_INTERRUPTION, -1));
            }
        }

        private void clearInterruption() {
            if (interruption != null) {
                interruption.cancelTimer();
                interruption = null;
            }
        }

        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (closed) {
                return;
            }
            if (event instanceof VoiceEvent.Interrupt interrupt) {
                if (current != null && (interrupt.turnId() == null || interrupt.turnId().equals(current.turnId))
                        && !current.turnId.equals(interrupt.interruptingTurnId())) {
                    cancel(current, "interrupted by " + interrupt.source(), null);
                }
            } else if (event instanceof VoiceEvent.InterruptPending paused) {
                if (interruption == null || !interruption.turnId.equals(paused.turnId())) {
                    clearInterruption();
                    interruption = new Interruption(paused.turnId());
                    interruption.restartTimer();
                }
            } else if (event instanceof VoiceEvent.PlaybackStarted started) {
                playingTurn = started.turnId();
                lastAudibleTurn = started.turnId();
                cancelIdleTimer(); // the agent is speaking
                if (started.turnId() != null && started.turnId().equals(unplayedPromptTurn)) {
                    unplayedPromptTurn = null;
                    unplayedPromptGeneration = null;
                }
            } else if (event instanceof VoiceEvent.PlaybackStopped stopped) {
                if (stopped.turnId() != null && stopped.turnId().equals(playingTurn)) {
                    playingTurn = null;
                }
                if (!stopped.interrupted() && playingTurn == null && current == null && pending == null) {
                    waitForCaller(); // the agent has finished speaking: the caller's turn
                }
                if (stopped.interrupted() && stopped.generationId() != null) {
                    // keep only what the caller heard of the reply
                    conversation.agentHeard(stopped.generationId(), stopped.heardText());
                    log.info("session {} turn {}: the caller heard {} of {} ms of the reply", route.sessionId(),
                            stopped.turnId(), stopped.playedMs(), stopped.audioMs());
                    log.debug("session {} turn {}: heard \"{}\"", route.sessionId(), stopped.turnId(),
                            stopped.heardText());
                }
            }
        }

        // ---- the caller's silence

        /** Starts (again) the wait for the caller to say something, if the session has one and prompts are left. */
        private void waitForCaller() {
            cancelIdleTimer();
            long timeoutMs = userIdleTimeoutMs();
            if (closed || timeoutMs <= 0 || idlePrompts.phrase(promptsInARow + 1) == null) {
                return;
            }
            long run = ++idleRun;
            idleTimer = Mono.delay(Duration.ofMillis(timeoutMs), timer).subscribe(tick -> onUserIdle(run));
        }

        private void cancelIdleTimer() {
            idleRun++;
            if (idleTimer != null) {
                idleTimer.dispose();
                idleTimer = null;
            }
        }

        /**
         * The caller speaks or types: the wait ends, the prompts start counting again, and a prompt that has not
         * reached them yet is dropped (it would ask someone who is talking whether they are there).
         */
        private void callerActive(String callerTurnId) {
            cancelIdleTimer();
            promptsInARow = 0;
            if (unplayedPromptTurn != null) {
                log.info("session {} turn {}: the caller spoke before the idle prompt {} played; dropped",
                        route.sessionId(), callerTurnId, unplayedPromptTurn);
                VoiceEvent.Interrupt stop = new VoiceEvent.Interrupt(route.sessionId(), unplayedPromptTurn, "llm",
                        "the caller spoke before the idle prompt played", callerTurnId, WallClock.micros());
                transport.toDownlink(route, stop);
                transport.publish(Topics.CONTROL, route, stop);
                conversation.agentHeard(unplayedPromptGeneration, ""); // never heard: not part of the conversation
                unplayedPromptTurn = null;
                unplayedPromptGeneration = null;
            }
        }

        private synchronized void onUserIdle(long run) {
            if (closed || run != idleRun) {
                return;
            }
            idleTimer = null;
            if (pending != null || current != null || playingTurn != null
                    || (interruption != null && !interruption.decided)) {
                return; // a turn is under way after all; its end starts the wait again
            }
            String phrase = idlePrompts.phrase(promptsInARow + 1);
            if (phrase == null) {
                return;
            }
            promptsInARow++;
            speakIdlePrompt(phrase, promptsInARow);
        }

        /**
         * An agent-initiated turn: {@code agent.turn} opens it at the gateway (no transcript precedes its reply), the
         * prompt goes out as the reply (spoken as written, no model call), and the turn is reported like a typed one
         * whose clock starts at this decision.
         */
        private void speakIdlePrompt(String phrase, int prompt) {
            String turnId = Ids.turnId();
            long now = clockMicros.getAsLong();
            log.info("session {} turn {}: the caller said nothing for {} ms; idle prompt {} of {}", route.sessionId(),
                    turnId, userIdleTimeoutMs(), prompt, idlePrompts.maxPrompts());
            transport.toDownlink(route, new VoiceEvent.AgentTurn(route.sessionId(), turnId,
                    VoiceEvent.AgentTurn.USER_IDLE, prompt, now));
            transport.publish(Topics.METRICS, route, new VoiceEvent.EouMetrics(route.sessionId(), turnId, 0, 0,
                    true, 0));
            Generation generation = new Generation(turnId, Ids.generationId(),
                    new SentenceChunker(properties.minClauseChars()), null, now, 0, true);
            trace(generation, null, "voxline.idle-prompt", "none", false);
            current = generation;
            unplayedPromptTurn = turnId;
            unplayedPromptGeneration = generation.generationId;
            onToken(generation, phrase);
            generation.completionTokens = phrase.split("\\s+").length;
            onComplete(generation);
        }

        // ---- the generation

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
            if (generation.released) {
                transport.toDownlink(generation.route, new VoiceEvent.ReplyDelta(route.sessionId(), generation.turnId,
                        generation.generationId, token));
            } else {
                generation.heldText.append(token);
            }
            for (String clause : generation.chunker.accept(token)) {
                if (generation.released) {
                    publishClause(generation, clause);
                } else {
                    generation.heldClauses.add(clause);
                }
            }
        }

        private synchronized void onComplete(Generation generation) {
            if (generation.finished) {
                return;
            }
            String rest = generation.chunker.flush();
            if (rest != null) {
                if (generation.released) {
                    publishClause(generation, rest);
                } else {
                    generation.heldClauses.add(rest);
                }
            }
            if (!generation.released) {
                generation.completedWhileHeld = true;
                return;
            }
            finish(generation, false, null);
        }

        private synchronized void onError(Generation generation, Throwable error) {
            if (generation.finished) {
                return;
            }
            log.warn("session {} turn {}: generation {} failed: {}", route.sessionId(), generation.turnId,
                    generation.generationId, error.toString());
            if (!generation.released) {
                generation.failedWhileHeld = error;
                return;
            }
            fail(generation.route, generation.turnId, error);
            generation.span.error(error);
            finish(generation, true, null);
        }

        /** Stops a running generation; {@code supersededBy}: the generation that answers its turn instead. */
        private void cancel(Generation generation, String reason, String supersededBy) {
            if (generation == null || generation.finished) {
                return;
            }
            if (!generation.released) {
                discard(generation, reason);
                return;
            }
            log.info("session {} turn {}: generation {} cancelled: {}", route.sessionId(), generation.turnId,
                    generation.generationId, reason);
            if (generation.subscription != null) {
                generation.subscription.dispose(); // closes the engine's upstream stream (HTTP/SSE) too
            }
            finish(generation, true, supersededBy);
        }

        private void publishClause(Generation generation, String clause) {
            if (generation.firstClauseMicros < 0) {
                generation.firstClauseMicros = clockMicros.getAsLong();
            }
            transport.publish(Topics.REPLIES, generation.route, new VoiceEvent.ReplyClause(route.sessionId(),
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
            transport.publish(Topics.REPLIES, generation.route, done);
            transport.toDownlink(generation.route, done);
            VoiceEvent.LlmMetrics metrics = metrics(generation, cancelled);
            transport.publish(Topics.METRICS, generation.route, metrics);
            endSpan(generation, metrics, text);
            conversation.agentSaid(generation.generationId, text);
        }

        private void endSpan(Generation generation, VoiceEvent.LlmMetrics metrics, String text) {
            Span span = generation.span;
            span.tag("gen_ai.usage.input_tokens", metrics.promptTokens());
            span.tag("gen_ai.usage.output_tokens", metrics.completionTokens());
            span.tag("voice.llm.ttft_ms", metrics.ttftMs());
            span.tag("voice.llm.first_clause_delay_ms", metrics.firstClauseDelayMs());
            span.tag("voice.llm.clauses", generation.clauses);
            span.tag("voice.llm.outcome", metrics.cancelled() ? "cancelled" : "completed");
            if (tracing.recordText()) {
                span.tag("voice.reply", text);
            }
            span.end();
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
            LlmEngine chosen = engine;
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
                if (!conversation.history().isEmpty()) {
                    // where the conversation stands is unknown here (the agent may be speaking): the next end of
                    // its speech starts the wait again
                    cancelIdleTimer();
                }
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
            LlmEngine used = generation.engine;
            return new VoiceEvent.LlmMetrics(route.sessionId(), generation.turnId, generation.generationId, ttftMs,
                    firstClauseDelayMs, durationMs, promptTokens, completionTokens, tokensPerSecond, cancelled,
                    used == null ? null : used.name(), used == null ? null : used.provider(),
                    used == null ? null : used.model());
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (pending != null) {
                pending.cancelTimer();
                if (pending.preemptive != null) {
                    discard(pending.preemptive, "session ended");
                }
                pending.endSpan("session ended");
                pending = null;
            }
            clearInterruption();
            cancelIdleTimer();
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
                current.span.tag("voice.llm.outcome", "session ended");
                current.span.end();
                current = null;
            }
        }

        /** A pause of the agent's reply by the caller's speech, until llm-service decides what it was. */
        private final class Interruption {
            final String turnId;
            boolean decided;
            boolean stopped;
            Disposable timeout;

            Interruption(String turnId) {
                this.turnId = turnId;
            }

            void restartTimer() {
                cancelTimer();
                timeout = Mono.delay(Duration.ofMillis(falseInterruptionTimeoutMs()), timer)
                        .subscribe(tick -> onInterruptionTimeout(this));
            }

            void cancelTimer() {
                if (timeout != null) {
                    timeout.dispose();
                    timeout = null;
                }
            }
        }
    }

    static final int VAD_LOW_LATENCY_SILENCE_MS = 300;
    static final int VAD_HIGH_ACCURACY_SILENCE_MS = 500;
    private static final String HIGH_ACCURACY = "high-accuracy";

    /** The caller's turn between its final transcript and the end-of-turn decision. */
    private static final class PendingTurn {
        final String turnId;
        final VoiceEvent.TranscriptFinal transcript;
        final long arrivalMicros;
        final double hopMs;
        String text;
        long delayMs;
        boolean answeredBefore;
        /** The caller went on before this final arrived: the final of the rest decides (no timer but a fallback). */
        boolean waitsForTheRest;
        Generation preemptive;
        Disposable timer;
        /** {@code llm.end_of_turn}, from the end of speech to the decision; the transcript's trace context. */
        Span span = Span.NOOP;
        String traceparent;

        PendingTurn(VoiceEvent.TranscriptFinal transcript, VoiceRecord record, String text, long nowMicros) {
            this.turnId = transcript.turnId();
            this.transcript = transcript;
            this.arrivalMicros = record.polledMicros() > 0 ? record.polledMicros() : nowMicros;
            this.hopMs = hopMs(record);
            this.text = text;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.dispose();
                timer = null;
            }
        }

        void endSpan(String outcome) {
            span.tag("voice.eou.outcome", outcome);
            span.end();
        }
    }

    /** A summary that takes longer is given up for a truncated one. */
    static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(20);

    /**
     * A turn held for the final of speech that came after its own (the caller went on before the recogniser
     * answered) is committed this long after the longest end-of-turn wait if that final never comes.
     */
    static final long MISSING_FINAL_GRACE_MS = 5_000;

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
        /** Which engine streams it (named in its metrics). */
        LlmEngine engine;
        Disposable subscription;
        /** {@code llm.generate}, and the route carrying its context to what the generation produces. */
        Span span = Span.NOOP;
        SessionRoute route;
        int clauses;
        boolean finished;
        /** False while preemptive: output is held until the turn is committed. */
        boolean released;
        final StringBuilder heldText = new StringBuilder();
        final List<String> heldClauses = new ArrayList<>();
        boolean completedWhileHeld;
        Throwable failedWhileHeld;

        Generation(String turnId, String generationId, SentenceChunker chunker, String userText, long startMicros,
                   int promptTokens, boolean released) {
            this.turnId = turnId;
            this.generationId = generationId;
            this.chunker = chunker;
            this.userText = userText;
            this.startMicros = startMicros;
            this.promptTokens = promptTokens;
            this.released = released;
        }
    }
}

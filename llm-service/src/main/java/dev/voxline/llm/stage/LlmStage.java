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
import dev.voxline.llm.engine.LlmEngine;
import dev.voxline.llm.engine.LlmSettings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * voice.transcripts → voice.replies (+ downlink). Every non-empty final transcript, spoken or typed, starts a
 * generation (any generation still running for the session is cancelled first): each token is a
 * {@code reply.delta} for the client, each released clause a {@code reply.clause} for TTS, and the end a
 * {@code reply.done} for both. An {@code interrupt} on voice.control, or an engine failure, ends the generation
 * with {@code reply.done cancelled=true}, so TTS and the gateway always close the turn.
 */
public final class LlmStage extends SessionStage<LlmStage.LlmSession> {

    private static final Logger log = LoggerFactory.getLogger(LlmStage.class);

    private final LlmEngine engine;
    private final LlmProperties properties;

    public LlmStage(VoiceTransport transport, TopicDeclarer topics, String groupId, LlmEngine engine,
                    LlmProperties properties) {
        super(transport, topics, groupId, Topics.TRANSCRIPTS, List.of(Topics.REPLIES));
        this.engine = engine;
        this.properties = properties;
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
        private Generation current;
        private boolean closed;

        LlmSession(SessionRoute route) {
            this.route = route;
            this.conversation = new Conversation(properties.systemPrompt(), properties.historyMessages());
        }

        @Override
        public synchronized void configure(SessionConfig config) {
            simulation = config.simulation();
        }

        @Override
        public void onInput(VoiceRecord record) {
            if (record.isAudio()) {
                return;
            }
            if (record.event() instanceof VoiceEvent.TranscriptFinal transcript) {
                onFinal(transcript);
            }
        }

        private synchronized void onFinal(VoiceEvent.TranscriptFinal transcript) {
            if (closed) {
                return;
            }
            if (transcript.text() == null || transcript.text().isBlank()) {
                log.debug("session {} turn {}: empty final transcript ignored", route.sessionId(),
                        transcript.turnId());
                return;
            }
            cancel(current, "superseded by turn " + transcript.turnId());
            Generation generation = new Generation(transcript.turnId(), Ids.generationId(),
                    new SentenceChunker(properties.minClauseChars()));
            current = generation;
            log.info("session {} turn {}: generation {} started ({} input)", route.sessionId(), generation.turnId,
                    generation.generationId, transcript.typed() ? "typed" : "spoken");
            log.debug("session {} turn {}: user said \"{}\"", route.sessionId(), generation.turnId,
                    transcript.text());
            ChatRequest request = conversation.userSaid(transcript.text());
            generation.subscription = engine.stream(request, new LlmSettings(simulation)).subscribe(
                    token -> onToken(generation, token),
                    error -> onError(generation, error),
                    () -> onComplete(generation));
        }

        @Override
        public synchronized void onControl(VoiceEvent event, VoiceRecord record) {
            if (event instanceof VoiceEvent.Interrupt interrupt && current != null
                    && (interrupt.turnId() == null || interrupt.turnId().equals(current.turnId))) {
                cancel(current, "interrupted by " + interrupt.source());
            }
        }

        private synchronized void onToken(Generation generation, String token) {
            if (generation.finished) {
                return;
            }
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
            finish(generation, false);
        }

        private synchronized void onError(Generation generation, Throwable error) {
            if (generation.finished) {
                return;
            }
            log.warn("session {} turn {}: generation {} failed: {}", route.sessionId(), generation.turnId,
                    generation.generationId, error.toString());
            fail(route, generation.turnId, error);
            finish(generation, true);
        }

        private void cancel(Generation generation, String reason) {
            if (generation == null || generation.finished) {
                return;
            }
            log.info("session {} turn {}: generation {} cancelled: {}", route.sessionId(), generation.turnId,
                    generation.generationId, reason);
            if (generation.subscription != null) {
                generation.subscription.dispose();
            }
            finish(generation, true);
        }

        private void publishClause(Generation generation, String clause) {
            transport.publish(Topics.REPLIES, route, new VoiceEvent.ReplyClause(route.sessionId(),
                    generation.turnId, generation.generationId, generation.clauses++, clause));
        }

        private void finish(Generation generation, boolean cancelled) {
            generation.finished = true;
            if (current == generation) {
                current = null;
            }
            if (closed) {
                return;
            }
            String text = generation.text.toString();
            VoiceEvent.ReplyDone done = new VoiceEvent.ReplyDone(route.sessionId(), generation.turnId,
                    generation.generationId, text, generation.clauses, cancelled);
            transport.publish(Topics.REPLIES, route, done);
            transport.toDownlink(route, done);
            conversation.agentSaid(text);
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

    private static final class Generation {
        final String turnId;
        final String generationId;
        final SentenceChunker chunker;
        final StringBuilder text = new StringBuilder();
        Disposable subscription;
        int clauses;
        boolean finished;

        Generation(String turnId, String generationId, SentenceChunker chunker) {
            this.turnId = turnId;
            this.generationId = generationId;
            this.chunker = chunker;
        }
    }
}

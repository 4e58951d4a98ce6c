package dev.voxline.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.voxline.contracts.audio.AudioFormat;

/**
 * Every JSON event that travels between Voxline services or from the gateway to a client. The {@code type}
 * property names the event; {@code v} is the schema version; {@code ts} is wall-clock epoch milliseconds at
 * creation. Readers ignore unknown fields, so a service can be upgraded alone. Field units are milliseconds.
 *
 * <p>Events a client sees are written down in docs/protocol.md; the others are marked "internal" below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = VoiceEvent.SessionStarted.class, name = "session.started"),
        @JsonSubTypes.Type(value = VoiceEvent.SessionEnded.class, name = "session.ended"),
        @JsonSubTypes.Type(value = VoiceEvent.SpeechStarted.class, name = "speech.started"),
        @JsonSubTypes.Type(value = VoiceEvent.SpeechEnded.class, name = "speech.ended"),
        @JsonSubTypes.Type(value = VoiceEvent.TranscriptInterim.class, name = "transcript.interim"),
        @JsonSubTypes.Type(value = VoiceEvent.TranscriptFinal.class, name = "transcript.final"),
        @JsonSubTypes.Type(value = VoiceEvent.AgentTurn.class, name = "agent.turn"),
        @JsonSubTypes.Type(value = VoiceEvent.ReplyDelta.class, name = "reply.delta"),
        @JsonSubTypes.Type(value = VoiceEvent.ReplyClause.class, name = "reply.clause"),
        @JsonSubTypes.Type(value = VoiceEvent.ReplyDone.class, name = "reply.done"),
        @JsonSubTypes.Type(value = VoiceEvent.SynthesisDone.class, name = "synthesis.done"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioStart.class, name = "audio.start"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioDone.class, name = "audio.done"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioClear.class, name = "audio.clear"),
        @JsonSubTypes.Type(value = VoiceEvent.Interrupt.class, name = "interrupt"),
        @JsonSubTypes.Type(value = VoiceEvent.InterruptPending.class, name = "interrupt.pending"),
        @JsonSubTypes.Type(value = VoiceEvent.InterruptResumed.class, name = "interrupt.resumed"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioPaused.class, name = "audio.paused"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioResumed.class, name = "audio.resumed"),
        @JsonSubTypes.Type(value = VoiceEvent.PlaybackStarted.class, name = "playback.started"),
        @JsonSubTypes.Type(value = VoiceEvent.PlaybackStopped.class, name = "playback.stopped"),
        @JsonSubTypes.Type(value = VoiceEvent.InterruptionMetrics.class, name = "metrics.interruption"),
        @JsonSubTypes.Type(value = VoiceEvent.TurnMetrics.class, name = "turn.metrics"),
        @JsonSubTypes.Type(value = VoiceEvent.Alert.class, name = "alert"),
        @JsonSubTypes.Type(value = VoiceEvent.AlertTransition.class, name = "alert.transition"),
        @JsonSubTypes.Type(value = VoiceEvent.Error.class, name = "error"),
        @JsonSubTypes.Type(value = VoiceEvent.TurnCommitted.class, name = "turn.committed"),
        @JsonSubTypes.Type(value = VoiceEvent.ContextSnapshot.class, name = "context.snapshot"),
        @JsonSubTypes.Type(value = VoiceEvent.VadMetrics.class, name = "metrics.vad"),
        @JsonSubTypes.Type(value = VoiceEvent.SttMetrics.class, name = "metrics.stt"),
        @JsonSubTypes.Type(value = VoiceEvent.EouMetrics.class, name = "metrics.eou"),
        @JsonSubTypes.Type(value = VoiceEvent.LlmMetrics.class, name = "metrics.llm"),
        @JsonSubTypes.Type(value = VoiceEvent.TtsMetrics.class, name = "metrics.tts"),
        @JsonSubTypes.Type(value = VoiceEvent.GatewayTurnMetrics.class, name = "metrics.turn"),
})
public sealed interface VoiceEvent {

    int SCHEMA_VERSION = 1;

    int v();

    long ts();

    String sessionId();

    /** The turn this event belongs to, or null for session-level events. */
    default String turnId() {
        return null;
    }

    static long now() {
        return System.currentTimeMillis();
    }

    /**
     * Session opened. To the client: its id and audio formats. On voice.control: the resolved configuration
     * every stage applies to the session.
     */
    record SessionStarted(int v, long ts, String sessionId, AudioFormat inputFormat, AudioFormat outputFormat,
                          SessionConfig config) implements VoiceEvent {
        public SessionStarted(String sessionId, AudioFormat inputFormat, AudioFormat outputFormat, SessionConfig config) {
            this(SCHEMA_VERSION, now(), sessionId, inputFormat, outputFormat, config);
        }
    }

    record SessionEnded(int v, long ts, String sessionId, String reason) implements VoiceEvent {
        public SessionEnded(String sessionId, String reason) {
            this(SCHEMA_VERSION, now(), sessionId, reason);
        }
    }

    /**
     * VAD confirmed speech. {@code audioMs}: where speech starts in the session's input audio; {@code seq}: the
     * first voiced 20 ms frame.
     */
    record SpeechStarted(int v, long ts, String sessionId, String turnId, long audioMs, long seq)
            implements VoiceEvent {
        public SpeechStarted(String sessionId, String turnId, long audioMs, long seq) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, audioMs, seq);
        }
    }

    /**
     * VAD heard a pause. {@code audioMs}: where speech ended in the session's input audio; {@code lastVoicedSeq}:
     * the last voiced 20 ms frame, from which the gateway's clock measures the turn; {@code speechEndUs}: when that
     * frame arrived at the gateway (wall-clock epoch µs, its {@code vox-arrival-us} header; 0 if unknown).
     */
    record SpeechEnded(int v, long ts, String sessionId, String turnId, long audioMs, long lastVoicedSeq,
                       long speechEndUs) implements VoiceEvent {
        public SpeechEnded(String sessionId, String turnId, long audioMs, long lastVoicedSeq, long speechEndUs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, audioMs, lastVoicedSeq, speechEndUs);
        }

        public SpeechEnded(String sessionId, String turnId, long audioMs, long lastVoicedSeq) {
            this(sessionId, turnId, audioMs, lastVoicedSeq, 0);
        }
    }

    record TranscriptInterim(int v, long ts, String sessionId, String turnId, String text) implements VoiceEvent {
        public TranscriptInterim(String sessionId, String turnId, String text) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, text);
        }
    }

    /**
     * A final transcript; {@code typed} when it came from the client's {@code text.input}. {@code speechEndUs}: the
     * end of the speech it transcribes (from {@link SpeechEnded#speechEndUs()}), or for typed input when the gateway
     * received it — the instant the turn's clock starts (wall-clock epoch µs, 0 if unknown).
     */
    record TranscriptFinal(int v, long ts, String sessionId, String turnId, String text, boolean typed,
                           long speechEndUs) implements VoiceEvent {
        public TranscriptFinal(String sessionId, String turnId, String text, boolean typed, long speechEndUs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, text, typed, speechEndUs);
        }

        public TranscriptFinal(String sessionId, String turnId, String text, boolean typed) {
            this(sessionId, turnId, text, typed, 0);
        }
    }

    /**
     * The agent takes a turn that no speech or typing of the caller started (llm-service → downlink, also seen by
     * the client): the first event of such a turn, before its reply. {@code reason}: why — {@link #USER_IDLE}, the
     * caller said nothing for the session's {@code userIdleTimeoutMs}; {@code prompt}: how many such turns in a row,
     * this one included (1-based; the caller speaking resets it); {@code decidedUs}: when llm-service decided to
     * speak (wall-clock epoch µs, 0 if unknown) — the instant the turn's clock starts, as {@code text.input}'s
     * arrival does for a typed turn.
     */
    record AgentTurn(int v, long ts, String sessionId, String turnId, String reason, int prompt, long decidedUs)
            implements VoiceEvent {
        public static final String USER_IDLE = "user_idle";

        public AgentTurn(String sessionId, String turnId, String reason, int prompt, long decidedUs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, reason, prompt, decidedUs);
        }
    }

    /** A piece of the agent's reply text, as the LLM streams it. */
    record ReplyDelta(int v, long ts, String sessionId, String turnId, String generationId, String text)
            implements VoiceEvent {
        public ReplyDelta(String sessionId, String turnId, String generationId, String text) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, text);
        }
    }

    /** Internal (voice.replies): a complete clause or sentence for TTS to speak, numbered from 0. */
    record ReplyClause(int v, long ts, String sessionId, String turnId, String generationId, int index, String text)
            implements VoiceEvent {
        public ReplyClause(String sessionId, String turnId, String generationId, int index, String text) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, index, text);
        }
    }

    /**
     * The reply is complete ({@code text}: all of it) or was cancelled. Sent to the client and, on voice.replies,
     * to TTS so it knows no clause follows. {@code supersededBy} names the generation that answers the turn instead
     * when the caller went on after a pause (null otherwise).
     */
    record ReplyDone(int v, long ts, String sessionId, String turnId, String generationId, String text,
                     int clauses, boolean cancelled, String supersededBy) implements VoiceEvent {
        public ReplyDone(String sessionId, String turnId, String generationId, String text, int clauses,
                         boolean cancelled) {
            this(sessionId, turnId, generationId, text, clauses, cancelled, null);
        }

        public ReplyDone(String sessionId, String turnId, String generationId, String text, int clauses,
                         boolean cancelled, String supersededBy) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, text, clauses, cancelled, supersededBy);
        }
    }

    /** Internal (tts → gateway): every audio chunk of the turn has been produced. */
    record SynthesisDone(int v, long ts, String sessionId, String turnId, String generationId, long audioMs,
                         boolean cancelled) implements VoiceEvent {
        public SynthesisDone(String sessionId, String turnId, String generationId, long audioMs, boolean cancelled) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, audioMs, cancelled);
        }
    }

    /** Binary reply audio of this turn follows, in {@code format}. */
    record AudioStart(int v, long ts, String sessionId, String turnId, AudioFormat format) implements VoiceEvent {
        public AudioStart(String sessionId, String turnId, AudioFormat format) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, format);
        }
    }

    /** All of the turn's reply audio has been sent; {@code audioMs} is its duration. */
    record AudioDone(int v, long ts, String sessionId, String turnId, long audioMs) implements VoiceEvent {
        public AudioDone(String sessionId, String turnId, long audioMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, audioMs);
        }
    }

    /**
     * Stop playing and drop any buffered audio of this turn; nothing more of it follows. {@code playedMs}: how much
     * the gateway believes was heard.
     */
    record AudioClear(int v, long ts, String sessionId, String turnId, String reason, long playedMs)
            implements VoiceEvent {
        public AudioClear(String sessionId, String turnId, String reason, long playedMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, reason, playedMs);
        }
    }

    /**
     * Internal (voice.control and downlink): stop the agent's reply for good. {@code turnId}: the agent's turn to
     * stop, null = whatever is playing or being prepared. {@code source}: client, typed, vad or llm.
     * {@code interruptingTurnId}: the caller's turn that interrupts (null for a client's stop button);
     * {@code detectedUs}: when the interruption was decided (wall-clock epoch µs, 0 if unknown), from which the
     * gateway measures how long the agent's voice took to stop.
     */
    record Interrupt(int v, long ts, String sessionId, String turnId, String source, String reason,
                     String interruptingTurnId, long detectedUs) implements VoiceEvent {
        public Interrupt(String sessionId, String turnId, String source, String reason) {
            this(sessionId, turnId, source, reason, null, 0);
        }

        public Interrupt(String sessionId, String turnId, String source, String reason, String interruptingTurnId,
                         long detectedUs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, source, reason, interruptingTurnId, detectedUs);
        }
    }

    /**
     * Internal (vad → voice.control and downlink): the caller has spoken over the agent for the minimum interruption
     * duration. The gateway pauses the reply at once (it may resume); llm-service decides from the words whether it
     * is a real interruption ({@link Interrupt}) or a false one ({@link InterruptResumed}). {@code turnId}: the
     * caller's interrupting turn; {@code speechMs}: how long they had spoken; {@code detectedUs}: wall-clock epoch µs.
     */
    record InterruptPending(int v, long ts, String sessionId, String turnId, long speechMs, long detectedUs)
            implements VoiceEvent {
        public InterruptPending(String sessionId, String turnId, long speechMs, long detectedUs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, speechMs, detectedUs);
        }
    }

    /**
     * Internal (llm → voice.control and downlink): a pending interruption was false — no words in time
     * ({@code reason} {@code no_words}), only a backchannel ({@code backchannel}: {@code text} says which) — and the
     * agent's reply resumes where the caller stopped hearing it. {@code turnId}: the caller's turn that had paused it.
     */
    record InterruptResumed(int v, long ts, String sessionId, String turnId, String reason, String text)
            implements VoiceEvent {
        public static final String NO_WORDS = "no_words";
        public static final String BACKCHANNEL = "backchannel";

        public InterruptResumed(String sessionId, String turnId, String reason, String text) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, reason, text);
        }
    }

    /**
     * The caller spoke over the agent: stop playing this turn's audio now and drop what is buffered; the server keeps
     * the rest. Either {@code audio.resumed} (a false interruption) or {@code audio.clear} follows. {@code playedMs}:
     * how much of the turn's audio the server believes was heard.
     */
    record AudioPaused(int v, long ts, String sessionId, String turnId, long playedMs) implements VoiceEvent {
        public AudioPaused(String sessionId, String turnId, long playedMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, playedMs);
        }
    }

    /** The paused turn's audio goes on: the binary frames that follow start at {@code fromMs} of the turn's audio. */
    record AudioResumed(int v, long ts, String sessionId, String turnId, long fromMs) implements VoiceEvent {
        public AudioResumed(String sessionId, String turnId, long fromMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, fromMs);
        }
    }

    /** Internal (gateway → voice.control): the turn's reply audio started reaching the caller. */
    record PlaybackStarted(int v, long ts, String sessionId, String turnId, String generationId)
            implements VoiceEvent {
        public PlaybackStarted(String sessionId, String turnId, String generationId) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId);
        }
    }

    /**
     * Internal (gateway → voice.control): the turn's reply audio ended — all of it played, or interrupted.
     * {@code heardText}: the words of the reply the caller heard (from the clause each audio chunk speaks, the audio
     * sent, and the client's {@code playback.position} when it reports one), to word precision; llm-service keeps
     * only that in the conversation.
     */
    record PlaybackStopped(int v, long ts, String sessionId, String turnId, String generationId, long audioMs,
                           long playedMs, boolean interrupted, String heardText) implements VoiceEvent {
        public PlaybackStopped(String sessionId, String turnId, String generationId, long audioMs, long playedMs,
                               boolean interrupted, String heardText) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, audioMs, playedMs, interrupted, heardText);
        }
    }

    /**
     * One turn's latency report; every duration in milliseconds, null where it could not be measured
     * ({@code reason} says why). Produced by metrics-service. The engine fields name what produced the stage's
     * figures ({@code stt_engine}, {@code llm_engine}/{@code llm_provider}/{@code llm_model}, {@code tts_engine}/
     * {@code tts_voice}), null when that stage did not report them. {@code synthetic}: true for a turn of a session
     * that said it is a program (a warm-up, a probe), null otherwise; such turns stay out of the alert windows,
     * rolling summaries and latency histograms.
     */
    record TurnMetrics(int v, long ts, String sessionId, String turnId,
                       @JsonProperty("eou_delay") Double eouDelay,
                       @JsonProperty("transcription_delay") Double transcriptionDelay,
                       @JsonProperty("stt_duration") Double sttDuration,
                       @JsonProperty("stt_audio_duration") Double sttAudioDuration,
                       @JsonProperty("stt_rtf") Double sttRtf,
                       @JsonProperty("llm_ttft") Double llmTtft,
                       @JsonProperty("first_clause_delay") Double firstClauseDelay,
                       @JsonProperty("llm_duration") Double llmDuration,
                       @JsonProperty("prompt_tokens") Integer promptTokens,
                       @JsonProperty("completion_tokens") Integer completionTokens,
                       @JsonProperty("tokens_per_second") Double tokensPerSecond,
                       @JsonProperty("tts_ttfb") Double ttsTtfb,
                       @JsonProperty("tts_duration") Double ttsDuration,
                       @JsonProperty("tts_audio_duration") Double ttsAudioDuration,
                       @JsonProperty("tts_characters") Integer ttsCharacters,
                       Double transport,
                       Double e2e,
                       boolean interrupted,
                       boolean cancelled,
                       String traceId,
                       String reason,
                       @JsonProperty("vad_inference_ms") Double vadInferenceMs,
                       @JsonProperty("vad_inference_count") Integer vadInferenceCount,
                       @JsonProperty("stt_engine") String sttEngine,
                       @JsonProperty("llm_engine") String llmEngine,
                       @JsonProperty("llm_provider") String llmProvider,
                       @JsonProperty("llm_model") String llmModel,
                       @JsonProperty("tts_engine") String ttsEngine,
                       @JsonProperty("tts_voice") String ttsVoice,
                       @JsonProperty("transport_hops") Hops transportHops,
                       Boolean synthetic) implements VoiceEvent {

        /**
         * The critical path's hop delays (poll time − send time, ms) that {@code transport} sums: gateway → vad,
         * vad → stt, stt → llm (the end-of-utterance decision), llm → tts (the chosen reply's first clause) and
         * tts → gateway (its first audio). Null where the hop is not on the turn's path (a typed turn has no
         * uplink hops) or its time is unknown.
         */
        public record Hops(@JsonProperty("gateway_vad") Double gatewayVad, @JsonProperty("vad_stt") Double vadStt,
                           @JsonProperty("stt_llm") Double sttLlm, @JsonProperty("llm_tts") Double llmTts,
                           @JsonProperty("tts_gateway") Double ttsGateway) {
        }

        /** A report that names no engines. */
        public TurnMetrics(int v, long ts, String sessionId, String turnId, Double eouDelay, Double transcriptionDelay,
                           Double sttDuration, Double sttAudioDuration, Double sttRtf, Double llmTtft,
                           Double firstClauseDelay, Double llmDuration, Integer promptTokens, Integer completionTokens,
                           Double tokensPerSecond, Double ttsTtfb, Double ttsDuration, Double ttsAudioDuration,
                           Integer ttsCharacters, Double transport, Double e2e, boolean interrupted,
                           boolean cancelled, String traceId, String reason, Double vadInferenceMs,
                           Integer vadInferenceCount) {
            this(v, ts, sessionId, turnId, eouDelay, transcriptionDelay, sttDuration, sttAudioDuration, sttRtf,
                    llmTtft, firstClauseDelay, llmDuration, promptTokens, completionTokens, tokensPerSecond, ttsTtfb,
                    ttsDuration, ttsAudioDuration, ttsCharacters, transport, e2e, interrupted, cancelled, traceId,
                    reason, vadInferenceMs, vadInferenceCount, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * An alert rule's threshold was crossed by this session's turn: {@code value} is that turn's own figure (never a
     * statistic over other sessions' turns), so it goes only to this session's client.
     */
    record Alert(int v, long ts, String sessionId, String turnId, String ruleId, String metric, double value,
                 double threshold, String severity, String message) implements VoiceEvent {
        public Alert(String sessionId, String turnId, String ruleId, String metric, double value, double threshold,
                     String severity, String message) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, ruleId, metric, value, threshold, severity, message);
        }
    }

    /**
     * Internal (metrics-service → voice.alerts, keyed by {@code ruleId}, and the operators' SSE stream): an alert
     * rule changed state. {@code state}: {@code pending} (the condition became true), {@code firing} (true for the
     * rule's {@code for} duration), {@code resolved} (a firing alert's condition became false) or {@code inactive}
     * (a pending alert's condition cleared before it fired). {@code sessionId} is null: a rule watches every
     * session's turns together. {@code value}: the rule's statistic over its window when evaluated (null when the
     * window held no turn with the figure); {@code activeAt}: since when the condition has been true (null once
     * it is false); {@code firedAt}: when the alert fired (null if it has not).
     */
    record AlertTransition(int v, long ts, String sessionId, String ruleId, String name, String state, String metric,
                           String statistic, String comparison, Double value, double threshold, String severity,
                           java.util.Map<String, String> labels, Long activeAt, Long firedAt, String message)
            implements VoiceEvent {
        public static final String PENDING = "pending";
        public static final String FIRING = "firing";
        public static final String RESOLVED = "resolved";
        public static final String INACTIVE = "inactive";

        public AlertTransition {
            labels = labels == null ? java.util.Map.of() : java.util.Map.copyOf(labels);
        }
    }

    /** Something went wrong; {@code code} is one of {@link dev.voxline.contracts.ErrorCodes}. */
    record Error(int v, long ts, String sessionId, String turnId, String code, String message) implements VoiceEvent {
        public Error(String sessionId, String turnId, String code, String message) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, code, message);
        }
    }

    /** Internal (llm → voice.control): the end of the user's turn is decided; speech after this starts a new turn. */
    record TurnCommitted(int v, long ts, String sessionId, String turnId, String generationId) implements VoiceEvent {
        public TurnCommitted(String sessionId, String turnId, String generationId) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId);
        }
    }

    /**
     * Internal (llm → voice.context, compacted, keyed by session): the session's whole conversation context after its
     * latest change, so another llm-service instance (after a restart or a rebalance) continues it. {@code seq} grows
     * with every change of the session's context, across instances; {@code summary}: what the older turns said
     * (null when nothing was summarised); {@code messages}: the user and assistant messages not folded into the
     * summary, oldest first (the system prompt is llm-service's configuration, not part of it); {@code config}: the
     * session's configuration, so a restored session keeps its engine. A session that ends leaves a tombstone.
     */
    record ContextSnapshot(int v, long ts, String sessionId, long seq, String summary,
                           java.util.List<Message> messages, SessionConfig config) implements VoiceEvent {
        public ContextSnapshot {
            messages = messages == null ? java.util.List.of() : java.util.List.copyOf(messages);
        }

        public ContextSnapshot(String sessionId, long seq, String summary, java.util.List<Message> messages,
                               SessionConfig config) {
            this(SCHEMA_VERSION, now(), sessionId, seq, summary, messages, config);
        }

        /** One message of the conversation; {@code role}: {@code user} or {@code assistant}. */
        public record Message(String role, String content) {
        }
    }

    // ---- typed metric events on voice.metrics (internal). Field meanings follow LiveKit Agents' metrics
    // (VADMetrics, STTMetrics, EOUMetrics, LLMMetrics, TTSMetrics) in milliseconds; docs/metrics.md defines each.
    // hopMs: the Kafka hop into this stage on the turn's critical path (poll time − send time), -1 if unknown.

    /** vad-service, when a turn's speech pauses: inference over the segment and the gateway → vad hop. */
    record VadMetrics(int v, long ts, String sessionId, String turnId, double inferenceDurationTotalMs,
                      int inferenceCount, long lastVoicedSeq, long speechEndUs, double hopMs) implements VoiceEvent {
        public VadMetrics(String sessionId, String turnId, double inferenceDurationTotalMs, int inferenceCount,
                          long lastVoicedSeq, long speechEndUs, double hopMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, inferenceDurationTotalMs, inferenceCount, lastVoicedSeq,
                    speechEndUs, hopMs);
        }
    }

    /**
     * stt-service, per final transcript: {@code durationMs} from the pause reaching STT to the final transcript,
     * {@code audioDurationMs} of speech transcribed, {@code rtf} engine processing time ÷ audio duration;
     * {@code engine}: the STT engine's name (null if not told).
     */
    record SttMetrics(int v, long ts, String sessionId, String turnId, double durationMs, double audioDurationMs,
                      double rtf, boolean streamed, double hopMs, String engine) implements VoiceEvent {
        public SttMetrics(String sessionId, String turnId, double durationMs, double audioDurationMs, double rtf,
                          boolean streamed, double hopMs, String engine) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, durationMs, audioDurationMs, rtf, streamed, hopMs, engine);
        }

        public SttMetrics(String sessionId, String turnId, double durationMs, double audioDurationMs, double rtf,
                          boolean streamed, double hopMs) {
            this(sessionId, turnId, durationMs, audioDurationMs, rtf, streamed, hopMs, null);
        }
    }

    /**
     * llm-service, when it decides the user's turn has ended: {@code endOfUtteranceDelayMs} from the end of speech
     * to that decision, {@code transcriptionDelayMs} from the end of speech to the final transcript's arrival
     * (both 0 for typed input, whose clock starts at the gateway). An agent-initiated turn ({@link AgentTurn}) is
     * reported as typed too: its clock starts with the agent's decision, so both are 0 and there is no hop into
     * llm-service ({@code hopMs} 0).
     */
    record EouMetrics(int v, long ts, String sessionId, String turnId, double endOfUtteranceDelayMs,
                      double transcriptionDelayMs, boolean typed, double hopMs) implements VoiceEvent {
        public EouMetrics(String sessionId, String turnId, double endOfUtteranceDelayMs, double transcriptionDelayMs,
                          boolean typed, double hopMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, endOfUtteranceDelayMs, transcriptionDelayMs, typed, hopMs);
        }
    }

    /**
     * llm-service, per generation when it ends: {@code ttftMs} from the request to the first token,
     * {@code firstClauseDelayMs} from the first token to the first clause released to TTS, {@code durationMs} of
     * the whole stream. {@code engine}: the LLM engine's name; {@code provider}: who serves the model (the model
     * server's host for {@code openai}); {@code model}: the model's name — each null when the engine has none.
     */
    record LlmMetrics(int v, long ts, String sessionId, String turnId, String generationId, double ttftMs,
                      double firstClauseDelayMs, double durationMs, int promptTokens, int completionTokens,
                      double tokensPerSecond, boolean cancelled, String engine, String provider, String model)
            implements VoiceEvent {
        public LlmMetrics(String sessionId, String turnId, String generationId, double ttftMs,
                          double firstClauseDelayMs, double durationMs, int promptTokens, int completionTokens,
                          double tokensPerSecond, boolean cancelled, String engine, String provider, String model) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, ttftMs, firstClauseDelayMs, durationMs,
                    promptTokens, completionTokens, tokensPerSecond, cancelled, engine, provider, model);
        }

        public LlmMetrics(String sessionId, String turnId, String generationId, double ttftMs,
                          double firstClauseDelayMs, double durationMs, int promptTokens, int completionTokens,
                          double tokensPerSecond, boolean cancelled) {
            this(sessionId, turnId, generationId, ttftMs, firstClauseDelayMs, durationMs, promptTokens,
                    completionTokens, tokensPerSecond, cancelled, null, null, null);
        }
    }

    /**
     * tts-service, per generation when synthesis ends: {@code ttfbMs} from the first clause's arrival to its first
     * audio chunk, {@code durationMs} of synthesis, {@code audioDurationMs} produced; {@code hopMs} of the first
     * clause (llm → tts). {@code engine}: the TTS engine's name; {@code voice}: the session's voice (null: the
     * engine's default).
     */
    record TtsMetrics(int v, long ts, String sessionId, String turnId, String generationId, double ttfbMs,
                      double durationMs, double audioDurationMs, int charactersCount, boolean cancelled,
                      double hopMs, String engine, String voice) implements VoiceEvent {
        public TtsMetrics(String sessionId, String turnId, String generationId, double ttfbMs, double durationMs,
                          double audioDurationMs, int charactersCount, boolean cancelled, double hopMs,
                          String engine, String voice) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, ttfbMs, durationMs, audioDurationMs,
                    charactersCount, cancelled, hopMs, engine, voice);
        }

        public TtsMetrics(String sessionId, String turnId, String generationId, double ttfbMs, double durationMs,
                          double audioDurationMs, int charactersCount, boolean cancelled, double hopMs) {
            this(sessionId, turnId, generationId, ttfbMs, durationMs, audioDurationMs, charactersCount, cancelled,
                    hopMs, null, null);
        }
    }

    /**
     * One interruption of the agent, or one that did not happen. {@code kind}: {@code barge_in} (the caller spoke
     * over the agent and it stopped), {@code client} (the client's stop button), {@code typed} (text typed while the
     * agent spoke), {@code false_interruption} (paused, then resumed: no words), {@code backchannel} (paused for
     * "mm-hm", then resumed). {@code turnId}: the agent's turn; {@code stopDelayMs}: interruption decided → the
     * agent's last audio byte sent (gateway; -1 when not measured).
     */
    record InterruptionMetrics(int v, long ts, String sessionId, String turnId, String kind, double stopDelayMs)
            implements VoiceEvent {
        public static final String BARGE_IN = "barge_in";
        public static final String CLIENT = "client";
        public static final String TYPED = "typed";
        public static final String FALSE_INTERRUPTION = "false_interruption";
        public static final String BACKCHANNEL = "backchannel";

        public InterruptionMetrics(String sessionId, String turnId, String kind, double stopDelayMs) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, kind, stopDelayMs);
        }
    }

    /**
     * The gateway's turn clock, when the turn's audio ends: {@code e2eMs} from the arrival of the last voiced frame
     * (or of {@code text.input}) to the first reply audio frame written to the socket, null when no audio was
     * played; {@code hopMs} of the first reply audio chunk (tts → gateway); {@code synthetic}: the session said it
     * is a program, not a person ({@code session.start}'s {@code synthetic}).
     */
    record GatewayTurnMetrics(int v, long ts, String sessionId, String turnId, Double e2eMs, long speechEndUs,
                              long firstAudioUs, boolean typed, boolean interrupted, long audioMs, long playedMs,
                              double hopMs, boolean synthetic) implements VoiceEvent {
        public GatewayTurnMetrics(String sessionId, String turnId, Double e2eMs, long speechEndUs, long firstAudioUs,
                                  boolean typed, boolean interrupted, long audioMs, long playedMs, double hopMs,
                                  boolean synthetic) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, e2eMs, speechEndUs, firstAudioUs, typed, interrupted,
                    audioMs, playedMs, hopMs, synthetic);
        }
    }
}

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
        @JsonSubTypes.Type(value = VoiceEvent.ReplyDelta.class, name = "reply.delta"),
        @JsonSubTypes.Type(value = VoiceEvent.ReplyClause.class, name = "reply.clause"),
        @JsonSubTypes.Type(value = VoiceEvent.ReplyDone.class, name = "reply.done"),
        @JsonSubTypes.Type(value = VoiceEvent.SynthesisDone.class, name = "synthesis.done"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioStart.class, name = "audio.start"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioDone.class, name = "audio.done"),
        @JsonSubTypes.Type(value = VoiceEvent.AudioClear.class, name = "audio.clear"),
        @JsonSubTypes.Type(value = VoiceEvent.Interrupt.class, name = "interrupt"),
        @JsonSubTypes.Type(value = VoiceEvent.TurnMetrics.class, name = "turn.metrics"),
        @JsonSubTypes.Type(value = VoiceEvent.Alert.class, name = "alert"),
        @JsonSubTypes.Type(value = VoiceEvent.Error.class, name = "error"),
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
     * the last voiced 20 ms frame, from which the gateway's clock measures the turn.
     */
    record SpeechEnded(int v, long ts, String sessionId, String turnId, long audioMs, long lastVoicedSeq)
            implements VoiceEvent {
        public SpeechEnded(String sessionId, String turnId, long audioMs, long lastVoicedSeq) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, audioMs, lastVoicedSeq);
        }
    }

    record TranscriptInterim(int v, long ts, String sessionId, String turnId, String text) implements VoiceEvent {
        public TranscriptInterim(String sessionId, String turnId, String text) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, text);
        }
    }

    /** A final transcript; {@code typed} when it came from the client's {@code text.input}. */
    record TranscriptFinal(int v, long ts, String sessionId, String turnId, String text, boolean typed)
            implements VoiceEvent {
        public TranscriptFinal(String sessionId, String turnId, String text, boolean typed) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, text, typed);
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
     * to TTS so it knows no clause follows.
     */
    record ReplyDone(int v, long ts, String sessionId, String turnId, String generationId, String text,
                     int clauses, boolean cancelled) implements VoiceEvent {
        public ReplyDone(String sessionId, String turnId, String generationId, String text, int clauses,
                         boolean cancelled) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, generationId, text, clauses, cancelled);
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

    /** Internal (voice.control and downlink): stop the turn's reply. {@code source}: client, vad or llm. */
    record Interrupt(int v, long ts, String sessionId, String turnId, String source, String reason)
            implements VoiceEvent {
        public Interrupt(String sessionId, String turnId, String source, String reason) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, source, reason);
        }
    }

    /**
     * One turn's latency report (DESIGN.md §3); every duration in milliseconds, null where it could not be
     * measured ({@code reason} says why). Produced by metrics-service from the turn-clock issue on.
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
                       String reason) implements VoiceEvent {
    }

    /** An alert rule fired for this session's turn. */
    record Alert(int v, long ts, String sessionId, String turnId, String ruleId, String metric, double value,
                 double threshold, String severity, String message) implements VoiceEvent {
    }

    /** Something went wrong; {@code code} is one of {@link dev.voxline.contracts.ErrorCodes}. */
    record Error(int v, long ts, String sessionId, String turnId, String code, String message) implements VoiceEvent {
        public Error(String sessionId, String turnId, String code, String message) {
            this(SCHEMA_VERSION, now(), sessionId, turnId, code, message);
        }
    }
}

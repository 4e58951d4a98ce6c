package dev.voxline.contracts;

/**
 * Kafka record header names. Header values are UTF-8 strings so {@code kcat -f '%h'} shows them as they are.
 */
public final class VoxHeaders {

    /** The event's {@code type} name, or {@link #AUDIO_TYPE} for a record whose value is raw PCM. */
    public static final String TYPE = "vox-type";
    public static final String AUDIO_TYPE = "audio";
    /** The session's voice.downlink partition; every stage copies it onto what it produces. */
    public static final String DOWNLINK = "vox-downlink";
    /** Wall-clock epoch microseconds set just before {@code send()}: a hop's delay is poll time minus this. */
    public static final String SENT_US = "vox-sent-us";
    /** W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    /** Index of a 20 ms input frame from the session's first audio (0-based). */
    public static final String SEQ = "vox-seq";
    /** Wall-clock epoch microseconds at which the gateway received the frame's last byte. */
    public static final String ARRIVAL_US = "vox-arrival-us";
    /**
     * "true" while the agent's reply audio is playing to the caller (set by the gateway on voice.audio.in): vad-service
     * pauses the agent ({@code interrupt.pending}) only for speech over its voice, not for speech after it.
     */
    public static final String AGENT_SPEAKING = "vox-agent-speaking";
    public static final String TURN = "vox-turn";
    public static final String GENERATION = "vox-generation";
    /** Sample rate of a raw PCM record. */
    public static final String SAMPLE_RATE = "vox-sample-rate";
    /** On reply audio: the clause this chunk speaks (first chunk of a clause only). */
    public static final String TEXT = "vox-text";

    private VoxHeaders() {
    }
}

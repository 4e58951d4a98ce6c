package dev.voxline.contracts;

import java.util.List;

/** Kafka topic names. Every topic but {@link #ALERTS} is keyed by sessionId (docs/architecture.md §2). */
public final class Topics {

    public static final String AUDIO_IN = "voice.audio.in";
    public static final String SPEECH = "voice.speech";
    public static final String TRANSCRIPTS = "voice.transcripts";
    public static final String REPLIES = "voice.replies";
    public static final String CONTROL = "voice.control";
    /** Read by gateways with {@code assign()}: the partition is the session's gateway partition, never the key hash. */
    public static final String DOWNLINK = "voice.downlink";
    public static final String METRICS = "voice.metrics";
    public static final String TURNS = "voice.turns";
    public static final String ALERTS = "voice.alerts";
    public static final String CONTEXT = "voice.context";

    /** Topics that hold raw caller audio, kept only briefly (personal data). */
    public static final List<String> AUDIO_TOPICS = List.of(AUDIO_IN, SPEECH);

    private Topics() {
    }
}

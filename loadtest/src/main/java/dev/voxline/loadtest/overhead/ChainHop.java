package dev.voxline.loadtest.overhead;

import dev.voxline.contracts.Ids;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five hops of the turn's critical path (those the {@code transport} figure sums) with what each carries in
 * the pipeline: the same value sizes (JSON hops are the real events, encoded by the real codec, for the benchmark
 * phrase) and the same headers as KafkaVoiceTransport writes (type, downlink partition, the stage's extra headers;
 * the send time is added last, at send).
 *
 * @param name    e.g. {@code gateway→vad}
 * @param topic   the pipeline topic it stands for
 * @param value   the record value
 * @param headers the headers other than the send time
 */
public record ChainHop(String name, String topic, byte[] value, Map<String, String> headers) {

    /** The benchmark phrase's transcript and reply (ClockBenchCommand's). */
    static final String TRANSCRIPT = "what is the weather like in paris today";
    static final String REPLY_CLAUSE = "It is sunny in Paris today.";
    /** The gateway's 20 ms input frame: 16 kHz PCM16LE mono. */
    public static final int AUDIO_FRAME_BYTES = Pcm.frameBytes(16_000, 20);
    /** tts-service's chunk (voxline.tts.chunk-ms 100) at the session's 16 kHz output. */
    public static final int REPLY_CHUNK_BYTES = Pcm.frameBytes(16_000, 100);

    public int size() {
        return value.length;
    }

    /** The five hops for one session whose downlink partition is {@code downlinkPartition}. */
    public static List<ChainHop> forSession(String sessionId, int downlinkPartition) {
        String turnId = Ids.turnId();
        String generationId = Ids.generationId();
        long micros = System.currentTimeMillis() * 1000;
        String downlink = Integer.toString(downlinkPartition);
        return List.of(
                new ChainHop("gateway→vad", "voice.audio.in", new byte[AUDIO_FRAME_BYTES], headers(
                        VoxHeaders.AUDIO_TYPE, downlink, VoxHeaders.SEQ, "143", VoxHeaders.ARRIVAL_US,
                        Long.toString(micros), VoxHeaders.AGENT_SPEAKING, "false", VoxHeaders.SAMPLE_RATE, "16000")),
                json("vad→stt", "voice.speech", downlink,
                        new VoiceEvent.SpeechEnded(sessionId, turnId, 2860, 143, micros)),
                json("stt→llm", "voice.transcripts", downlink,
                        new VoiceEvent.TranscriptFinal(sessionId, turnId, TRANSCRIPT, false, micros)),
                json("llm→tts", "voice.replies", downlink,
                        new VoiceEvent.ReplyClause(sessionId, turnId, generationId, 0, REPLY_CLAUSE)),
                new ChainHop("tts→gateway", "voice.downlink", new byte[REPLY_CHUNK_BYTES], headers(
                        VoxHeaders.AUDIO_TYPE, downlink, VoxHeaders.TURN, turnId, VoxHeaders.GENERATION, generationId,
                        VoxHeaders.SAMPLE_RATE, "16000", VoxHeaders.TEXT, REPLY_CLAUSE)));
    }

    private static ChainHop json(String name, String topic, String downlink, VoiceEvent event) {
        return new ChainHop(name, topic, JsonCodec.get().encode(event), headers(JsonCodec.typeName(event), downlink));
    }

    private static Map<String, String> headers(String type, String downlink, String... extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(VoxHeaders.TYPE, type);
        headers.put(VoxHeaders.DOWNLINK, downlink);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            headers.put(extra[i], extra[i + 1]);
        }
        return headers;
    }
}

package dev.voxline.gateway.uplink;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.FrameArrivals;
import dev.voxline.contracts.audio.PackedFrames;
import dev.voxline.gateway.echo.EchoSuppressor;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceTransport;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * One session's caller audio on its way to voice.audio.in: cut into the pipeline's 20 ms frames
 * ({@link InputFramer}), each frame's arrival kept for the turn clock, the agent's own reply coming back through the
 * caller's microphone silenced ({@link EchoSuppressor}), and the frames packed into records ({@link UplinkPacker}).
 * Not thread-safe: the session serialises calls.
 */
public final class Uplink {

    /** 60 s of 20 ms frames: far longer than any end-of-turn decision takes. */
    static final int ARRIVALS_KEPT = 3_000;
    private static final String PIPELINE_RATE = Integer.toString(AudioFormat.PIPELINE_RATE);

    private final SessionRoute route;
    private final VoiceTransport transport;
    private final InputFramer framer;
    private final UplinkPacker packer;
    /** Null when the echo gate is off for this session. */
    private final EchoSuppressor echo;
    private final FrameArrivals arrivals = new FrameArrivals(ARRIVALS_KEPT);

    /** {@code framesPerRecord} is asked anew for every record and must stay within 1 … {@code maxFramesPerRecord}. */
    public Uplink(SessionRoute route, VoiceTransport transport, int inputSampleRate, IntSupplier framesPerRecord,
                  int maxFramesPerRecord, EchoSuppressor echo) {
        this.route = route;
        this.transport = transport;
        this.framer = new InputFramer(inputSampleRate);
        this.packer = new UplinkPacker(framesPerRecord, maxFramesPerRecord, InputFramer.FRAME_BYTES);
        this.echo = echo;
    }

    /**
     * Caller audio (whole 16-bit samples at the session's input rate) that arrived at {@code arrivalMicros}
     * (wall-clock epoch µs); {@code agentSpeaking}: whether the caller hears the agent now, which vad-service needs
     * to tell speech over the agent (a barge-in) from speech after it.
     */
    public void accept(byte[] pcm, long arrivalMicros, boolean agentSpeaking) {
        String speaking = Boolean.toString(agentSpeaking);
        framer.accept(pcm, (seq, frame) -> {
            arrivals.record(seq, arrivalMicros);
            if (echo != null) {
                echo.silenceIfEcho(seq, frame, arrivalMicros);
            }
            packer.accept(seq, frame, arrivalMicros, (firstSeq, packed, frameArrivals) ->
                    transport.publishAudio(Topics.AUDIO_IN, route, packed, Map.of(
                            VoxHeaders.SEQ, Long.toString(firstSeq),
                            VoxHeaders.ARRIVAL_US, PackedFrames.arrivalsHeader(frameArrivals),
                            VoxHeaders.AGENT_SPEAKING, speaking,
                            VoxHeaders.SAMPLE_RATE, PIPELINE_RATE)));
        });
    }

    /** Wall-clock epoch µs at which input frame {@code seq} arrived, or -1 if unknown or already forgotten. */
    public long arrivalMicros(long seq) {
        return arrivals.arrivalMicros(seq);
    }
}

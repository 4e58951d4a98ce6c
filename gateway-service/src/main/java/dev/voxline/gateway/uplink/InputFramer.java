package dev.voxline.gateway.uplink;

import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.PackedFrames;
import dev.voxline.contracts.audio.Pcm;

/**
 * Turns a client's audio (any rate, any whole-sample frame length) into the pipeline's 20 ms, 16 kHz frames,
 * numbered from the session's first audio. Streams stay seamless across client frames: the resampler keeps its
 * phase and the re-chunker its remainder. Not thread-safe: one per session.
 */
public final class InputFramer {

    /** Receives each complete pipeline frame. */
    @FunctionalInterface
    public interface FrameSink {
        void frame(long seq, byte[] pcm);
    }

    public static final int FRAME_BYTES = PackedFrames.FRAME_BYTES;

    private final Pcm.Resampler resampler;
    private final Pcm.Rechunker rechunker = new Pcm.Rechunker(FRAME_BYTES);
    private long nextSeq;

    public InputFramer(int inputSampleRate) {
        this.resampler = inputSampleRate == AudioFormat.PIPELINE_RATE
                ? null : new Pcm.Resampler(inputSampleRate, AudioFormat.PIPELINE_RATE);
    }

    /** {@code pcm} must hold whole 16-bit samples. */
    public void accept(byte[] pcm, FrameSink sink) {
        byte[] pipelineRate = resampler == null ? pcm : resampler.process(pcm);
        rechunker.accept(pipelineRate, frame -> sink.frame(nextSeq++, frame));
    }

    /** Frames produced so far (the next frame's seq). */
    public long frames() {
        return nextSeq;
    }
}

package dev.voxline.gateway.uplink;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Packs consecutive 20 ms pipeline frames into one voice.audio.in record of {@code framesPerRecord} frames, a number
 * asked for anew at the start of each record (it depends on how busy the gateway is). Kafka's
 * cost is per record (client and broker), so a caller's 50 frames a second as 50 records is what limits how many
 * sessions a machine holds; a record of three frames costs a third. The price is latency: the first frame of a
 * record waits for the last, so the end of speech reaches VAD up to {@code (framesPerRecord − 1) · 20 ms} later.
 * Not thread-safe: one per session, called under the session's lock.
 */
public final class UplinkPacker {

    /** Receives each full record: the seq of its first frame, its PCM, and each frame's arrival. */
    @FunctionalInterface
    public interface RecordSink {
        void record(long firstSeq, byte[] pcm, long[] arrivalMicros);
    }

    private final IntSupplier framesPerRecord;
    private final int frameBytes;
    private int recordFrames;
    private final byte[] pending;
    private final long[] arrivals;
    private long firstSeq = -1;
    private int frames;

    public UplinkPacker(int framesPerRecord, int frameBytes) {
        this(() -> framesPerRecord, framesPerRecord, frameBytes);
    }

    /** {@code framesPerRecord} must stay within 1 … {@code maxFramesPerRecord}. */
    public UplinkPacker(IntSupplier framesPerRecord, int maxFramesPerRecord, int frameBytes) {
        if (maxFramesPerRecord <= 0) {
            throw new IllegalArgumentException("maxFramesPerRecord must be positive");
        }
        this.framesPerRecord = framesPerRecord;
        this.frameBytes = frameBytes;
        this.pending = new byte[maxFramesPerRecord * frameBytes];
        this.arrivals = new long[maxFramesPerRecord];
    }

    /** Adds frame {@code seq} (exactly one frame of PCM); a full record goes to {@code sink} at once. */
    public void accept(long seq, byte[] frame, long arrivalMicros, RecordSink sink) {
        if (frame.length != frameBytes) {
            throw new IllegalArgumentException("a frame is " + frameBytes + " bytes, not " + frame.length);
        }
        if (frames == 0) {
            firstSeq = seq;
            recordFrames = Math.max(1, Math.min(arrivals.length, framesPerRecord.getAsInt()));
        }
        System.arraycopy(frame, 0, pending, frames * frameBytes, frameBytes);
        arrivals[frames++] = arrivalMicros;
        if (frames == recordFrames) {
            frames = 0;
            sink.record(firstSeq, recordFrames == 1 ? frame : Arrays.copyOf(pending, recordFrames * frameBytes),
                    Arrays.copyOf(arrivals, recordFrames));
        }
    }

    /** Frames waiting for their record to fill. */
    public int pendingFrames() {
        return frames;
    }
}

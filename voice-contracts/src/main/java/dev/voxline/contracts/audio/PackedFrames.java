package dev.voxline.contracts.audio;

import java.util.Arrays;

/**
 * A voice.audio.in record carries one or more consecutive 20 ms pipeline frames (the gateway packs them; see
 * {@code voxline.gateway.uplink-record-ms}): {@code vox-seq} is the first frame's seq, the value their PCM back to
 * back, and {@code vox-arrival-us} each frame's arrival, comma-separated (a single value for a single frame, as
 * before packing existed).
 */
public final class PackedFrames {

    public static final int FRAME_BYTES = Pcm.frameBytes(AudioFormat.PIPELINE_RATE, Pcm.FRAME_MS);

    private PackedFrames() {
    }

    /** The {@code vox-arrival-us} value for frames that arrived at {@code arrivalMicros}. */
    public static String arrivalsHeader(long[] arrivalMicros) {
        StringBuilder header = new StringBuilder(arrivalMicros.length * 17);
        for (int i = 0; i < arrivalMicros.length; i++) {
            if (i > 0) {
                header.append(',');
            }
            header.append(arrivalMicros[i]);
        }
        return header.toString();
    }

    /**
     * Each of {@code frames} frames' arrival from a {@code vox-arrival-us} value; -1 where it is missing or not a
     * number (the clock fields that depend on it are then left out, the audio is still used).
     */
    public static long[] arrivals(String header, int frames) {
        long[] arrivals = new long[frames];
        Arrays.fill(arrivals, -1);
        if (header == null) {
            return arrivals;
        }
        int start = 0;
        for (int i = 0; i < frames && start <= header.length(); i++) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            try {
                arrivals[i] = Long.parseLong(header, start, end, 10);
            } catch (NumberFormatException e) {
                arrivals[i] = -1;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return arrivals;
    }

    /** How many whole frames {@code pcm} holds (a trailing partial frame is not counted). */
    public static int frameCount(byte[] pcm) {
        return pcm.length / FRAME_BYTES;
    }

    /** Frame {@code index} of a packed record. */
    public static byte[] frame(byte[] pcm, int index) {
        return Arrays.copyOfRange(pcm, index * FRAME_BYTES, (index + 1) * FRAME_BYTES);
    }
}

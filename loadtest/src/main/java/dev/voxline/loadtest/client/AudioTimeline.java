package dev.voxline.loadtest.client;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * When each piece of the session's input audio was sent: audio positions (milliseconds since the first byte the
 * client sent, as the gateway counts them in {@code speech.*} events) mapped to the client's send instants. Session
 * wide: pauses between utterances do not move positions, only instants. Thread-safe.
 */
public final class AudioTimeline {

    private final int sampleRate;
    private long[] endSamples = new long[256];
    private long[] sentNanos = new long[256];
    private int size;
    private long totalSamples;

    public AudioTimeline(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    /** Records that {@code samples} more samples were sent at {@code nanos}. */
    public synchronized void sent(int samples, long nanos) {
        if (size == endSamples.length) {
            endSamples = Arrays.copyOf(endSamples, size * 2);
            sentNanos = Arrays.copyOf(sentNanos, size * 2);
        }
        totalSamples += samples;
        endSamples[size] = totalSamples;
        sentNanos[size] = nanos;
        size++;
    }

    /** Everything sent so far, in milliseconds. */
    public synchronized long positionMs() {
        return totalSamples * 1000 / sampleRate;
    }

    /**
     * When the audio just before position {@code audioMs} was sent, i.e. the send instant of the frame that holds
     * the sample ending at that position (for {@code speech.ended}: the end of the last voiced frame). Empty if that
     * audio has not been sent.
     */
    public synchronized OptionalLong sentNanosAt(long audioMs) {
        long sample = Math.max(1, audioMs * sampleRate / 1000);
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (endSamples[mid] >= sample) {
                found = mid;
                high = mid - 1;
            } else {
                low = mid + 1;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(sentNanos[found]);
    }
}

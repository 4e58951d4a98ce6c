package dev.voxline.loadtest.load;

import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.client.SessionOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How every simulated caller behaves.
 *
 * @param utterances   what callers say, in turn (caller {@code i} starts at utterance {@code i mod n})
 * @param think        the pause after hearing a reply before speaking again, jittered ±50 %
 * @param jitterBuffer how much reply audio playback waits for after the first frame
 * @param replyTimeout how long a turn may take after the caller stopped talking
 * @param metricsWait  how long to wait for turn.metrics after a reply's audio is done
 * @param seed         seeds the think-time jitter (runs are repeatable in their pauses)
 */
public record LoadSettings(URI url, SessionOptions options, List<SpeechAudio> utterances, Duration think,
                           Duration jitterBuffer, Duration replyTimeout, Duration metricsWait, long seed) {

    public LoadSettings {
        Objects.requireNonNull(url);
        Objects.requireNonNull(options);
        utterances = List.copyOf(utterances);
        if (utterances.isEmpty()) {
            throw new IllegalArgumentException("nothing to say: no utterances");
        }
        if (think.isNegative() || jitterBuffer.isNegative()) {
            throw new IllegalArgumentException("think time and jitter buffer cannot be negative");
        }
    }
}

package dev.voxline.loadtest.client;

import dev.voxline.loadtest.audio.SpeechAudio;
import java.time.Duration;
import java.util.Objects;

/**
 * One thing to say in a {@link TalkSession}: audio streamed in real time (then {@code trailingSilence} so the VAD
 * hears the pause), or typed text. The run ends when every turn it started has finished: its reply audio is done
 * (or cleared, or it failed) and its {@code turn.metrics} arrived, or {@code metricsWait} passed without them.
 *
 * @param replyTimeout how long after the input was sent the run may take before it gives up
 * @param noSpeechWait how long after the audio was sent to wait for a first turn before deciding none was heard
 */
public record TalkRequest(SpeechAudio audio, String text, double speed, Duration trailingSilence,
                          Duration replyTimeout, Duration metricsWait, Duration noSpeechWait) {

    public static final Duration DEFAULT_TRAILING_SILENCE = Duration.ofMillis(1500);
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_METRICS_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_NO_SPEECH_WAIT = Duration.ofSeconds(4);

    public TalkRequest {
        if ((audio == null) == (text == null)) {
            throw new IllegalArgumentException("a request is either audio or text");
        }
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive");
        }
        Objects.requireNonNull(trailingSilence);
        Objects.requireNonNull(replyTimeout);
        Objects.requireNonNull(metricsWait);
        Objects.requireNonNull(noSpeechWait);
    }

    public static TalkRequest audio(SpeechAudio audio) {
        return new TalkRequest(Objects.requireNonNull(audio), null, 1.0, DEFAULT_TRAILING_SILENCE,
                DEFAULT_REPLY_TIMEOUT, DEFAULT_METRICS_WAIT, DEFAULT_NO_SPEECH_WAIT);
    }

    public static TalkRequest text(String text) {
        return new TalkRequest(null, Objects.requireNonNull(text), 1.0, DEFAULT_TRAILING_SILENCE,
                DEFAULT_REPLY_TIMEOUT, DEFAULT_METRICS_WAIT, DEFAULT_NO_SPEECH_WAIT);
    }

    public boolean typed() {
        return text != null;
    }

    public TalkRequest withSpeed(double speed) {
        return new TalkRequest(audio, text, speed, trailingSilence, replyTimeout, metricsWait, noSpeechWait);
    }

    public TalkRequest withTrailingSilence(Duration trailingSilence) {
        return new TalkRequest(audio, text, speed, trailingSilence, replyTimeout, metricsWait, noSpeechWait);
    }

    public TalkRequest withReplyTimeout(Duration replyTimeout) {
        return new TalkRequest(audio, text, speed, trailingSilence, replyTimeout, metricsWait, noSpeechWait);
    }

    public TalkRequest withMetricsWait(Duration metricsWait) {
        return new TalkRequest(audio, text, speed, trailingSilence, replyTimeout, metricsWait, noSpeechWait);
    }

    public TalkRequest withNoSpeechWait(Duration noSpeechWait) {
        return new TalkRequest(audio, text, speed, trailingSilence, replyTimeout, metricsWait, noSpeechWait);
    }
}

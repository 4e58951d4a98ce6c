package dev.voxline.vad.engine;

import io.github.givimad.libfvadjni.VoiceActivityDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * WebRTC's VAD (libfvad through {@code io.github.givimad:libfvad-jni}): a small Gaussian-mixture detector, far
 * cheaper than Silero and less discriminating. It answers voiced or not per 10/20/30 ms frame, so a frame's
 * probability is 1 or 0. One native detector per {@link #score} subscription, freed when it ends or is cancelled;
 * frames are scored on the engine's bounded scheduler, never on the caller's thread.
 */
public final class WebRtcVadEngine implements VadEngine, AutoCloseable {

    public static final String NAME = "webrtc";

    private final VoiceActivityDetector.Mode mode;
    private final Scheduler scheduler;
    private volatile boolean libraryLoaded;

    /**
     * @param mode    0 (quality) … 3 (very aggressive: fewest false positives)
     * @param threads scoring threads shared by all sessions
     */
    public WebRtcVadEngine(int mode, int threads) {
        VoiceActivityDetector.Mode[] modes = VoiceActivityDetector.Mode.values();
        if (mode < 0 || mode >= modes.length) {
            throw new IllegalArgumentException("WebRTC VAD mode must be 0..3, not " + mode);
        }
        this.mode = modes[mode];
        this.scheduler = Schedulers.newBoundedElastic(Math.max(1, threads), 10_000, "webrtc-vad");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Flux<VadScore> score(Flux<AudioFrame> frames, VadSettings settings) {
        return Flux.defer(() -> {
            Detector detector = new Detector(settings.sampleRate());
            return frames.publishOn(scheduler).map(detector::score).doFinally(signal -> detector.close());
        });
    }

    /** Loads libfvad now (it is otherwise loaded by the first session's first frame). */
    @Override
    public void warmUp() {
        loadLibrary();
    }

    private void loadLibrary() {
        if (!libraryLoaded) {
            synchronized (this) {
                if (!libraryLoaded) {
                    try {
                        VoiceActivityDetector.loadLibrary();
                    } catch (IOException | UnsatisfiedLinkError e) {
                        throw new IllegalStateException("cannot load libfvad for " + System.getProperty("os.name")
                                + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
                    }
                    libraryLoaded = true;
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.dispose();
    }

    /** One session's native detector; {@link #close} may come from another thread, hence the lock. */
    private final class Detector {
        private final int sampleRate;
        private VoiceActivityDetector vad;
        private boolean closed;

        Detector(int sampleRate) {
            this.sampleRate = sampleRate;
            VoiceActivityDetector.SampleRate.fromValue(sampleRate); // 8, 16, 32 or 48 kHz, else fails here
        }

        synchronized VadScore score(AudioFrame frame) {
            if (closed) {
                // cancelled while this frame waited: nobody reads the score
                return new VadScore(frame, 0, 0);
            }
            byte[] pcm = frame.pcm();
            short[] samples = new short[pcm.length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
            }
            long started = System.nanoTime();
            boolean voiced;
            try {
                voiced = detector().process(samples);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "WebRTC VAD takes 10, 20 or 30 ms frames; got %d samples at %d Hz", samples.length,
                        sampleRate), e);
            }
            return new VadScore(frame, voiced ? 1.0 : 0.0, System.nanoTime() - started);
        }

        private VoiceActivityDetector detector() throws IOException {
            if (vad == null) {
                loadLibrary();
                vad = VoiceActivityDetector.newInstance();
                vad.setSampleRate(VoiceActivityDetector.SampleRate.fromValue(sampleRate));
                vad.setMode(mode);
            }
            return vad;
        }

        synchronized void close() {
            closed = true;
            if (vad != null) {
                vad.close();
                vad = null;
            }
        }
    }
}

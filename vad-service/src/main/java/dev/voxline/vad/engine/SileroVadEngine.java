package dev.voxline.vad.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Silero VAD v5 through onnxruntime. The model (shipped in the npm package {@code @ricky0123/vad-web}, unpacked into
 * {@code models/silero_vad_v5.onnx} on the classpath at build time) is loaded once, on first use, and shared by every
 * session; {@link OrtSession#run} is thread-safe. Each {@link #score} subscription is one session's detector: its
 * recurrent state ({@code state}, 2×1×128), the last {@value #CONTEXT_16K} samples of the previous window (the
 * context the v5 model expects in front of each window) and the samples not yet scored.
 *
 * <p>The model scores 512-sample windows (32 ms) at 16 kHz, 256 at 8 kHz; frames are 20 ms, so samples are buffered
 * across frames and each frame gets the probability of the window that holds its last sample (a frame waits at most
 * one window). When the input completes, the partial window is padded with zeros so every frame is scored. Inference
 * runs on the engine's bounded scheduler, never on the caller's (Kafka poll) thread.
 */
public final class SileroVadEngine implements VadEngine, AutoCloseable {

    public static final String NAME = "silero";
    public static final String DEFAULT_MODEL_RESOURCE = "models/silero_vad_v5.onnx";
    private static final int CONTEXT_16K = 64;
    private static final int STATE_SIZE = 2 * 1 * 128;

    private static final Logger log = LoggerFactory.getLogger(SileroVadEngine.class);

    private final String modelResource;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private volatile Model model;
    private volatile boolean closed;

    /** An engine with its own bounded scheduler of {@code threads} inference threads. */
    public SileroVadEngine(String modelResource, int threads) {
        this(modelResource, Schedulers.newBoundedElastic(Math.max(1, threads), 10_000, "silero-vad"), true);
    }

    public SileroVadEngine(String modelResource, Scheduler scheduler, boolean ownsScheduler) {
        this.modelResource = modelResource;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Flux<VadScore> score(Flux<AudioFrame> frames, VadSettings settings) {
        return Flux.defer(() -> {
            Detector detector = new Detector(settings.sampleRate());
            return frames.publishOn(scheduler)
                    .concatMapIterable(detector::accept)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(detector.flush())));
        });
    }

    /** Loads the model now (it is otherwise loaded by the first session's first frame). */
    public void load() {
        model();
    }

    @Override
    public void warmUp() {
        load();
    }

    /** Whether the model is loaded (by a warm-up or a first frame). */
    public boolean loaded() {
        return model != null;
    }

    /** Input names and shapes of the loaded model, as onnxruntime reports them. */
    public Map<String, NodeInfo> inputs() {
        try {
            return model().session.getInputInfo();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private Model model() {
        Model loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the Silero VAD engine is closed");
                }
                loaded = model;
                if (loaded == null) {
                    loaded = Model.load(modelResource);
                    model = loaded;
                }
            }
        }
        return loaded;
    }

    /** Frees the model once the runs in progress have finished; later runs fail instead of touching freed memory. */
    @Override
    public synchronized void close() {
        closed = true;
        if (model != null) {
            model.close();
            model = null;
        }
        if (ownsScheduler) {
            scheduler.dispose();
        }
    }

    /**
     * The shared model: environment and session. Runs hold the read lock and {@link #close} the write lock, so the
     * native session is never freed under a run (a cancelled session's last window may still be running).
     */
    private static final class Model {
        final OrtEnvironment env;
        final OrtSession session;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private boolean closed;

        private Model(OrtEnvironment env, OrtSession session) {
            this.env = env;
            this.session = session;
        }

        static Model load(String resource) {
            long started = System.nanoTime();
            byte[] bytes;
            try (InputStream in = SileroVadEngine.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Silero VAD model '" + resource + "' is not on the classpath; "
                            + "vad-service's build puts it there with npm (npm pack @ricky0123/vad-web)");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Silero VAD model '" + resource + "'", e);
            }
            try {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                long runtimeLoaded = System.nanoTime();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                // A tiny model run once per 32 ms window: one thread per run is fastest and sessions scale out on
                // the engine's scheduler instead.
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                OrtSession session = env.createSession(bytes, options);
                check(session);
                log.info("Silero VAD model {} ({} bytes) loaded in {} ms (onnxruntime native library {} ms)",
                        resource, bytes.length, (System.nanoTime() - started) / 1_000_000,
                        (runtimeLoaded - started) / 1_000_000);
                return new Model(env, session);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load Silero VAD model '" + resource + "': " + e.getMessage(),
                        e);
            }
        }

        /** The v5 signature: input [batch, samples], state [2, batch, 128], sr (int64 scalar) → output, stateN. */
        private static void check(OrtSession session) throws OrtException {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Set<String> expected = Set.of("input", "state", "sr");
            if (!inputs.keySet().equals(expected) || !session.getOutputInfo().keySet().containsAll(
                    Set.of("output", "stateN"))) {
                throw new IllegalStateException("not a Silero VAD v5 model: inputs " + inputs.keySet()
                        + ", outputs " + session.getOutputInfo().keySet());
            }
            long[] state = ((TensorInfo) inputs.get("state").getInfo()).getShape();
            if (state.length != 3 || state[0] != 2 || state[2] != 128) {
                throw new IllegalStateException("unexpected Silero state shape " + Arrays.toString(state));
            }
        }

        /** One window: (context + samples, state) → probability; {@code state} is updated in place. */
        double run(float[] input, float[] state, long sampleRate) {
            lock.readLock().lock();
            try {
                if (closed) {
                    throw new IllegalStateException("the Silero VAD engine is closed");
                }
                try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, input.length});
                     OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[] {2, 1, 128});
                     OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {sampleRate}),
                             new long[0]);
                     OrtSession.Result result = session.run(Map.of("input", x, "state", s, "sr", sr))) {
                    float[][] output = (float[][]) result.get("output").orElseThrow().getValue();
                    ((OnnxTensor) result.get("stateN").orElseThrow()).getFloatBuffer().get(state);
                    return output[0][0];
                } catch (OrtException e) {
                    throw new IllegalStateException("Silero inference failed: " + e.getMessage(), e);
                }
            } finally {
                lock.readLock().unlock();
            }
        }

        void close() {
            lock.writeLock().lock();
            try {
                closed = true;
                session.close();
            } catch (OrtException e) {
                log.warn("closing the Silero session: {}", e.getMessage());
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** One session's detector; used by one thread at a time (the subscription's scheduler worker). */
    private final class Detector {
        private final int sampleRate;
        private final int windowSize;
        private final int contextSize;
        /** context + window, the model's input. */
        private final float[] input;
        private final float[] state = new float[STATE_SIZE];
        private int filled;
        /** Frames whose last sample has not been scored yet, with the absolute index of their last sample. */
        private final ArrayList<AudioFrame> waiting = new ArrayList<>();
        private final ArrayList<Long> waitingEnds = new ArrayList<>();
        private long samplesIn;
        private long samplesScored;

        Detector(int sampleRate) {
            if (sampleRate == 16_000) {
                windowSize = 512;
                contextSize = CONTEXT_16K;
            } else if (sampleRate == 8_000) {
                windowSize = 256;
                contextSize = 32;
            } else {
                throw new IllegalArgumentException("Silero VAD needs 16 or 8 kHz audio, not " + sampleRate + " Hz");
            }
            this.sampleRate = sampleRate;
            this.input = new float[contextSize + windowSize];
        }

        List<VadScore> accept(AudioFrame frame) {
            byte[] pcm = frame.pcm();
            int samples = pcm.length / 2;
            samplesIn += samples;
            waiting.add(frame);
            waitingEnds.add(samplesIn);
            List<VadScore> out = new ArrayList<>(2);
            for (int i = 0; i < samples; i++) {
                short sample = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
                input[contextSize + filled++] = sample / 32768f;
                if (filled == windowSize) {
                    runWindow(out);
                }
            }
            return out;
        }

        /** The input ended: scores the frames still waiting on a zero-padded window. */
        List<VadScore> flush() {
            List<VadScore> out = new ArrayList<>(2);
            if (!waiting.isEmpty()) {
                Arrays.fill(input, contextSize + filled, input.length, 0f);
                filled = windowSize;
                runWindow(out);
            }
            return out;
        }

        private void runWindow(List<VadScore> out) {
            long started = System.nanoTime();
            double probability = infer();
            long nanos = System.nanoTime() - started;
            samplesScored += windowSize;
            // Frames whose last sample is in this window get its probability; the first carries the run's time.
            int done = 0;
            while (done < waiting.size() && waitingEnds.get(done) <= samplesScored) {
                out.add(new VadScore(waiting.get(done), probability, done == 0 ? nanos : 0));
                done++;
            }
            waiting.subList(0, done).clear();
            waitingEnds.subList(0, done).clear();
            // The window's last samples are the next window's context.
            System.arraycopy(input, input.length - contextSize, input, 0, contextSize);
            filled = 0;
        }

        private double infer() {
            return model().run(input, state, sampleRate);
        }
    }
}

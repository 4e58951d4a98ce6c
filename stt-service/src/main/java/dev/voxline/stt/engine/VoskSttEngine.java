package dev.voxline.stt.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vosk (Kaldi) streaming recognition. One {@link Model} per service, loaded on first use and shared; a
 * {@link Recognizer} per utterance at the utterance's sample rate, fed chunk by chunk as the audio arrives, on
 * {@code scheduler} (a bounded one: native decoding never runs on the poll thread or an event loop). An interim
 * result per {@code interimEveryMs} of audio when the text changed ({@code getPartialResult}, after any segment
 * Vosk closed itself on an inner pause); the final result ({@code getFinalResult}) when the audio completes, i.e.
 * when VAD reported the pause. The final carries the decoding time, so the stage reports a real RTF. The
 * recognizer is freed when the utterance completes, fails or is cancelled — if a chunk is being decoded at that
 * moment, right after it, on the decoding thread.
 */
public final class VoskSttEngine implements SttEngine {

    public static final String NAME = "vosk";

    private static final Logger log = LoggerFactory.getLogger(VoskSttEngine.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How the model's load went: wall time and the resident / heap memory it added (-1 where unknown). */
    public record ModelLoad(Path directory, double resolveMs, double loadMs, long residentBytesAdded,
                            long heapBytesAdded) {
    }

    private final Supplier<Path> modelDirectory;
    private final Scheduler scheduler;
    private final int interimEveryMs;
    private final AtomicInteger openRecognizers = new AtomicInteger();
    private volatile Model model;
    private volatile ModelLoad modelLoad;

    /**
     * @param modelDirectory where the model is (called once, on first use; may unpack it)
     * @param scheduler      where decoding runs
     * @param interimEveryMs audio between interim results
     */
    public VoskSttEngine(Supplier<Path> modelDirectory, Scheduler scheduler, int interimEveryMs) {
        this.modelDirectory = modelDirectory;
        this.scheduler = scheduler;
        this.interimEveryMs = Math.max(20, interimEveryMs);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> capabilities() {
        return Set.of(STREAMING, INTERIM_RESULTS);
    }

    @Override
    public Flux<SttResult> transcribe(Flux<byte[]> utteranceAudio, SttSettings settings) {
        return Flux.defer(() -> {
            Utterance utterance = new Utterance(settings.sampleRate());
            return utteranceAudio.publishOn(scheduler)
                    .<SttResult>handle((chunk, sink) -> {
                        SttResult interim = utterance.accept(chunk);
                        if (interim != null) {
                            sink.next(interim);
                        }
                    })
                    .concatWith(Mono.fromCallable(utterance::finish))
                    .doFinally(signal -> utterance.close());
        });
    }

    /** Loads the model now, on the calling thread, rather than on the first utterance. */
    @Override
    public void warmUp() {
        model();
    }

    /** Loads the model on the decoding scheduler now rather than on the first utterance. */
    public Mono<ModelLoad> preload() {
        return Mono.fromCallable(() -> {
            model();
            return modelLoad;
        }).subscribeOn(scheduler);
    }

    /** Recognizers allocated and not yet freed (one per utterance in progress). */
    public int openRecognizers() {
        return openRecognizers.get();
    }

    /** The model's load figures, or null before it loaded. */
    public ModelLoad modelLoad() {
        return modelLoad;
    }

    private Model model() {
        Model loaded = model;
        if (loaded != null) {
            return loaded;
        }
        synchronized (this) {
            if (model == null) {
                LibVosk.setLogLevel(LogLevel.WARNINGS);
                long start = System.nanoTime();
                Path directory = modelDirectory.get();
                long resolved = System.nanoTime();
                long rss = residentBytes();
                Runtime runtime = Runtime.getRuntime();
                long heap = runtime.totalMemory() - runtime.freeMemory();
                try {
                    model = new Model(directory.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException("Vosk cannot load the model in " + directory, e);
                }
                long end = System.nanoTime();
                long rssAdded = rss >= 0 ? residentBytes() - rss : -1;
                long heapAdded = runtime.totalMemory() - runtime.freeMemory() - heap;
                modelLoad = new ModelLoad(directory, (resolved - start) / 1e6, (end - resolved) / 1e6, rssAdded,
                        heapAdded);
                log.info("Vosk model loaded from {} in {} ms (+{} MB resident)", directory,
                        Math.round(modelLoad.loadMs()), rssAdded >= 0 ? rssAdded >> 20 : "?");
            }
            return model;
        }
    }

    /** VmRSS of this process on Linux, else -1. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    private static String field(String json, String name) {
        return JSON.readTree(json).path(name).asString("").trim();
    }

    /**
     * One utterance's recognizer and transcript. {@link #accept} and {@link #finish} run on the decoding
     * scheduler, one at a time; {@link #close} may come from any thread and never waits for native work.
     */
    private final class Utterance {

        private final float sampleRate;
        private final long interimBytes;
        private final StringBuilder closedSegments = new StringBuilder();
        private Recognizer recognizer;
        private boolean busy;
        private boolean closed;
        private long sinceInterim;
        private long processingNanos;
        private String lastInterim = "";

        Utterance(int sampleRate) {
            this.sampleRate = sampleRate;
            this.interimBytes = sampleRate * 2L * interimEveryMs / 1000;
        }

        SttResult accept(byte[] pcm) {
            if (!begin()) {
                return null;
            }
            try {
                Recognizer r = recognizer();
                long start = System.nanoTime();
                String text = null;
                sinceInterim += pcm.length;
                if (r.acceptWaveForm(pcm, pcm.length)) {
                    // Vosk closed a segment on an inner pause: keep its text, the partial starts afresh.
                    append(field(r.getResult(), "text"));
                    text = closedSegments.toString();
                    sinceInterim = 0;
                } else if (sinceInterim >= interimBytes) {
                    text = join(field(r.getPartialResult(), "partial"));
                    sinceInterim = 0;
                }
                processingNanos += System.nanoTime() - start;
                if (text == null || text.isEmpty() || text.equals(lastInterim)) {
                    return null;
                }
                lastInterim = text;
                return SttResult.interim(text);
            } finally {
                end();
            }
        }

        SttResult finish() {
            if (!begin()) {
                return null;
            }
            try {
                String text;
                if (recognizer == null) {
                    text = closedSegments.toString(); // no audio at all
                } else {
                    long start = System.nanoTime();
                    text = join(field(recognizer.getFinalResult(), "text"));
                    processingNanos += System.nanoTime() - start;
                }
                return SttResult.finalResult(text, processingNanos / 1e6);
            } finally {
                endAndFree(); // the recognizer is freed before the final goes out
            }
        }

        private Recognizer recognizer() {
            if (recognizer == null) {
                Model loaded = model();
                long start = System.nanoTime();
                try {
                    recognizer = new Recognizer(loaded, sampleRate);
                } catch (IOException e) {
                    throw new UncheckedIOException("Vosk cannot create a recognizer at " + sampleRate + " Hz", e);
                }
                openRecognizers.incrementAndGet();
                processingNanos += System.nanoTime() - start;
            }
            return recognizer;
        }

        private void append(String segment) {
            if (!segment.isEmpty()) {
                if (closedSegments.length() > 0) {
                    closedSegments.append(' ');
                }
                closedSegments.append(segment);
            }
        }

        private String join(String open) {
            if (closedSegments.length() == 0) {
                return open;
            }
            return open.isEmpty() ? closedSegments.toString() : closedSegments + " " + open;
        }

        private synchronized boolean begin() {
            if (closed) {
                return false;
            }
            busy = true;
            return true;
        }

        private synchronized void end() {
            busy = false;
            if (closed) {
                free();
            }
        }

        private synchronized void endAndFree() {
            busy = false;
            closed = true;
            free();
        }

        synchronized void close() {
            closed = true;
            if (!busy) {
                free();
            }
        }

        private void free() {
            if (recognizer != null) {
                recognizer.close();
                recognizer = null;
                openRecognizers.decrementAndGet();
            }
        }
    }
}

package dev.voxline.tts.engine;

import dev.voxline.contracts.audio.Pcm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import marytts.LocalMaryInterface;
import marytts.exceptions.MaryConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * MaryTTS 5.2.1 in process ({@link LocalMaryInterface}), by default with the {@code cmu-slt-hsmm} voice. MaryTTS
 * starts once per service, lazily on the first synthesis (or at service start, see {@code warm-up}), on the bounded
 * scheduler the engine is given; every synthesis runs there too, never on the caller's thread. A clause is cut into
 * sentences and each is synthesised in turn (a long first sentence is cut after its first phrase so the first audio
 * comes sooner); its audio stream is read as MaryTTS's vocoder produces it and to its end, converted to PCM16LE
 * mono at the session's output rate and emitted in {@code chunkMs} chunks (the last of a sentence shorter).
 * Cancelling stops the vocoder at the next chunk and closes the stream. The session's voice is used when MaryTTS
 * has it, else the default voice.
 */
public final class MaryTtsEngine implements TtsEngine, AutoCloseable {

    public static final String NAME = "marytts";

    private static final Logger log = LoggerFactory.getLogger(MaryTtsEngine.class);
    /** A sentence ends at . ! ? (optionally followed by quotes or brackets) followed by white space. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]]?)\\s+");

    /** A first sentence longer than this is cut after its first phrase. */
    static final int LONG_FIRST_SENTENCE = 40;
    private static final Pattern PHRASE_END = Pattern.compile("(?<=[,;:])\\s+");
    /**
     * MaryTTS ends every text it is given with a sentence pause (about 400 ms); after a phrase cut off a sentence
     * (or a clause ending in , ; :) the silence is cut to this.
     */
    static final int PHRASE_PAUSE_MS = 150;
    /** A chunk quieter than this is silence (MaryTTS's pauses are below -60 dBFS). */
    private static final double SILENCE_DBFS = -50;
    private static final Duration WARM_UP_LIMIT = Duration.ofMinutes(2);

    private final String defaultVoice;
    private final int chunkMs;
    private final Scheduler scheduler;
    private final Mono<LocalMaryInterface> startup;
    /** One interface per voice in use: an interface's voice is its state, so it is never changed once set. */
    private final Map<String, LocalMaryInterface> byVoice = new ConcurrentHashMap<>();
    private volatile Set<String> voices = Set.of();

    /**
     * @param defaultVoice the MaryTTS voice when the session names none (or one MaryTTS does not have)
     * @param chunkMs      audio per emitted chunk
     * @param scheduler    a bounded scheduler for MaryTTS's start and syntheses (blocking, CPU-bound)
     */
    public MaryTtsEngine(String defaultVoice, int chunkMs, Scheduler scheduler) {
        this.defaultVoice = defaultVoice;
        this.chunkMs = chunkMs;
        this.scheduler = scheduler;
        this.startup = Mono.fromCallable(this::start).subscribeOn(scheduler)
                .cache(ready -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Stops the engine's threads (MaryTTS itself shuts down with the JVM). */
    @Override
    public void close() {
        scheduler.dispose();
    }

    /** Starts MaryTTS and speaks a word, so the first turn finds its voice loaded and its code warm. */
    @Override
    public void warmUp() {
        synthesize("Hello.", new TtsSettings(dev.voxline.contracts.audio.AudioFormat.PIPELINE_RATE, null, null))
                .then().block(WARM_UP_LIMIT);
    }

    /** The voices MaryTTS has; empty until it has started. */
    public Set<String> voices() {
        return voices;
    }

    @Override
    public Flux<byte[]> synthesize(String text, TtsSettings settings) {
        List<String> sentences = sentences(text);
        if (sentences.isEmpty()) {
            return Flux.empty();
        }
        int chunkBytes = Pcm.frameBytes(settings.sampleRate(), chunkMs);
        return startup.flatMapMany(mary -> Flux.fromIterable(sentences)
                .concatMap(sentence -> Flux.using(
                                () -> forVoice(mary, settings.voice()).generateAudio(sentence),
                                audio -> Flux.<byte[], PcmReader>generate(
                                        () -> new PcmReader(audio, settings.sampleRate(), chunkBytes,
                                                endsMidSentence(sentence)
                                                        ? Pcm.frameBytes(settings.sampleRate(), PHRASE_PAUSE_MS)
                                                        : -1),
                                        (reader, sink) -> {
                                            try {
                                                byte[] chunk = reader.next();
                                                if (chunk != null) {
                                                    sink.next(chunk);
                                                } else {
                                                    sink.complete();
                                                }
                                            } catch (IOException e) {
                                                sink.error(e);
                                            }
                                            return reader;
                                        }),
                                MaryTtsEngine::closeQuietly)
                        .subscribeOn(scheduler)));
    }

    private LocalMaryInterface start() throws MaryConfigurationException {
        long started = System.nanoTime();
        LocalMaryInterface mary = new LocalMaryInterface();
        voices = Set.copyOf(mary.getAvailableVoices());
        if (!voices.contains(defaultVoice)) {
            throw new MaryConfigurationException("MaryTTS has no voice '" + defaultVoice + "' (voxline.tts.marytts"
                    + ".voice); available: " + voices);
        }
        mary.setVoice(defaultVoice);
        byVoice.put(defaultVoice, mary);
        log.info("MaryTTS started in {} ms with voices {} (default {})", (System.nanoTime() - started) / 1_000_000,
                voices, defaultVoice);
        return mary;
    }

    private LocalMaryInterface forVoice(LocalMaryInterface defaultMary, String voice) {
        return voice == null || voice.equals(defaultVoice) || !voices.contains(voice)
                ? defaultMary : byVoice.computeIfAbsent(voice, this::newInterface);
    }

    private LocalMaryInterface newInterface(String voice) {
        try {
            LocalMaryInterface mary = new LocalMaryInterface();
            mary.setVoice(voice);
            return mary;
        } catch (MaryConfigurationException e) {
            throw new IllegalStateException("MaryTTS voice " + voice + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(AudioInputStream audio) {
        try {
            audio.close();
        } catch (IOException e) {
            log.debug("closing a MaryTTS audio stream: {}", e.toString());
        }
    }

    /**
     * One sentence's audio as PCM16LE mono chunks at the session's rate, read as MaryTTS's vocoder produces it:
     * MaryTTS's audio stream is lazy (the vocoder runs as it is read), so the first chunk goes out long before the
     * sentence is done, and a cancelled synthesis stops vocoding at the next chunk. Read to the end of the stream.
     */
    static final class PcmReader {

        private final InputStream in;
        private final int chunkBytes;
        private final LowPass lowPass;
        private final Pcm.Resampler resampler;
        private final byte[] buffer;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final int maxTrailingSilenceBytes;
        private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
        private final ArrayDeque<byte[]> silent = new ArrayDeque<>();
        private int carry = -1;
        private boolean ended;

        /** {@code maxTrailingSilenceBytes}: how much silence to keep at the end; -1 for all of it. */
        PcmReader(AudioInputStream audio, int rate, int chunkBytes, int maxTrailingSilenceBytes) {
            this.maxTrailingSilenceBytes = maxTrailingSilenceBytes;
            AudioFormat format = audio.getFormat();
            int sourceRate = Math.round(format.getSampleRate());
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, format.getSampleRate(), 16, 1, 2,
                    format.getSampleRate(), false);
            this.in = pcm16.matches(format) ? audio : AudioSystem.getAudioInputStream(pcm16, audio);
            this.chunkBytes = chunkBytes;
            // cmu-slt-hsmm speaks at 48 kHz: take out what a lower rate cannot carry before the linear resampler,
            // else fricatives fold back into the speech band
            this.lowPass = rate < sourceRate ? new LowPass(0.45 * rate / sourceRate) : null;
            this.resampler = new Pcm.Resampler(sourceRate, rate);
            // about one output chunk per read
            this.buffer = new byte[Math.max(512, (int) ((long) chunkBytes * sourceRate / rate))];
        }

        /**
         * The next chunk, the last one possibly shorter; null at the end. Silent chunks are held back until sound
         * follows them, so silence at the end can be cut.
         */
        byte[] next() throws IOException {
            if (maxTrailingSilenceBytes < 0) {
                return read();
            }
            while (ready.isEmpty()) {
                byte[] chunk = read();
                if (chunk == null) {
                    int budget = maxTrailingSilenceBytes;
                    while (!silent.isEmpty() && budget > 0) {
                        byte[] held = silent.poll();
                        byte[] kept = held.length <= budget ? held : Arrays.copyOf(held, budget & ~1);
                        budget -= kept.length;
                        if (kept.length > 0) {
                            ready.add(kept);
                        }
                    }
                    silent.clear();
                    return ready.poll();
                }
                if (Pcm.rmsDbfs(chunk) < SILENCE_DBFS) {
                    silent.add(chunk);
                } else {
                    ready.addAll(silent);
                    silent.clear();
                    ready.add(chunk);
                }
            }
            return ready.poll();
        }

        private byte[] read() throws IOException {
            while (pending.size() < chunkBytes && !ended) {
                // Into offset 0 only: MaryTTS's AppendableSequenceAudioInputStream mishandles reads at a non-zero
                // offset (InputStream.readAllBytes() gets only its first buffer).
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    ended = true;
                } else if (n > 0) {
                    accept(n);
                }
            }
            if (pending.size() == 0) {
                return null;
            }
            byte[] all = pending.toByteArray();
            int take = Math.min(chunkBytes, all.length);
            pending.reset();
            pending.write(all, take, all.length - take);
            return take == all.length ? all : Arrays.copyOf(all, take);
        }

        private void accept(int n) {
            byte[] bytes;
            if (carry >= 0) {
                bytes = new byte[n + 1];
                bytes[0] = (byte) carry;
                System.arraycopy(buffer, 0, bytes, 1, n);
            } else {
                bytes = Arrays.copyOf(buffer, n);
            }
            int whole = bytes.length & ~1;
            carry = whole < bytes.length ? bytes[whole] & 0xff : -1;
            if (whole == 0) {
                return;
            }
            short[] samples = Pcm.toSamples(bytes, 0, whole);
            byte[] pcm = Pcm.toBytes(lowPass != null ? lowPass.process(samples) : samples);
            pending.writeBytes(resampler.process(pcm));
        }
    }

    /** A causal 63-tap Hann-windowed-sinc low-pass carried across chunks; {@code cutoff} in cycles per sample. */
    static final class LowPass {

        private static final int TAPS = 63;
        private final double[] kernel = new double[TAPS];
        private final double[] history = new double[TAPS - 1];

        LowPass(double cutoff) {
            int half = TAPS / 2;
            double sum = 0;
            for (int i = 0; i < TAPS; i++) {
                int k = i - half;
                double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
                kernel[i] = sinc * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (TAPS - 1)));
                sum += kernel[i];
            }
            for (int i = 0; i < TAPS; i++) {
                kernel[i] /= sum;
            }
        }

        short[] process(short[] in) {
            short[] out = new short[in.length];
            int h = history.length;
            for (int n = 0; n < in.length; n++) {
                double acc = 0;
                for (int k = 0; k < TAPS; k++) {
                    int j = n - k;
                    acc += kernel[k] * (j >= 0 ? in[j] : history[h + j]);
                }
                out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc)));
            }
            // keep the last TAPS-1 inputs for the next call
            if (in.length >= h) {
                for (int i = 0; i < h; i++) {
                    history[i] = in[in.length - h + i];
                }
            } else {
                System.arraycopy(history, in.length, history, 0, h - in.length);
                for (int i = 0; i < in.length; i++) {
                    history[h - in.length + i] = in[i];
                }
            }
            return out;
        }
    }

    /**
     * What to synthesise one at a time: the sentences of {@code text}, the first one cut after its first phrase
     * ({@code ,;:} then a space) when it is longer than {@value #LONG_FIRST_SENTENCE} characters — the first
     * audio then waits for a short phrase only.
     */
    static boolean endsMidSentence(String piece) {
        char last = piece.charAt(piece.length() - 1);
        return last == ',' || last == ';' || last == ':';
    }

    static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        if (text == null) {
            return sentences;
        }
        for (String sentence : SENTENCE_END.split(text.strip())) {
            // MaryTTS says nothing for text without a letter or digit, and may fail on it
            if (sentence.codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences.add(sentence);
            }
        }
        if (!sentences.isEmpty() && sentences.get(0).length() > LONG_FIRST_SENTENCE) {
            String first = sentences.get(0);
            Matcher phrase = PHRASE_END.matcher(first);
            if (phrase.find() && first.substring(phrase.end()).codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences.set(0, first.substring(0, phrase.start()));
                sentences.add(1, first.substring(phrase.end()));
            }
        }
        return sentences;
    }
}

package dev.voxline.loadtest.client;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.client.WholeMessages;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A caller whose microphone stays open, as in a real call: every 20 ms a frame goes to the gateway — the speech
 * queued by {@link #say}, digital silence otherwise — and, with {@link #echo}, the agent's own voice coming back
 * from a speakerphone, delayed and attenuated. Reply audio "plays" at the microphone's clock (one frame per tick,
 * from the frames received; {@code audio.paused} and {@code audio.clear} drop what was not played yet, as a client
 * does), which is what the echo feeds back.
 *
 * <p>Every event is kept with its arrival time on the client's monotonic clock ({@link #events()}, {@link #await});
 * conversation benchmarks read timings from them. Not for many sessions: one scheduler thread per call.
 */
public final class OpenMicCall implements AutoCloseable {

    private static final int FRAME_BYTES = Pcm.frameBytes(SpeechAudio.SAMPLE_RATE, Pcm.FRAME_MS);
    private static final int FRAME_SAMPLES = FRAME_BYTES / 2;
    private static final int MAX_ECHO_DELAY_MS = 1_000;

    /** The agent's voice back into the microphone: {@code gainDb} (negative) after {@code delayMs}. */
    public record Echo(double gainDb, int delayMs) {
        public Echo {
            if (delayMs < 0 || delayMs > MAX_ECHO_DELAY_MS || delayMs % Pcm.FRAME_MS != 0) {
                throw new IllegalArgumentException("echo delay must be 0-" + MAX_ECHO_DELAY_MS + " ms in "
                        + Pcm.FRAME_MS + " ms steps: " + delayMs);
            }
        }

        double gain() {
            return Math.pow(10, gainDb / 20);
        }
    }

    /** Speech handed to {@link #say}: when its first and last frames went to the socket (client nanos). */
    public record Said(long firstFrameNanos, long lastFrameNanos) {
    }

    private final NanoClock clock = NanoClock.SYSTEM;
    private final ScheduledExecutorService ticker;
    private final List<ReceivedEvent> events = new ArrayList<>();
    private final Deque<Utterance> speech = new ArrayDeque<>();
    private final Deque<short[]> speaker = new ArrayDeque<>();
    private final Deque<short[]> echoLine = new ArrayDeque<>();
    private final Pcm.Rechunker speakerFrames = new Pcm.Rechunker(FRAME_BYTES);
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile Echo echo;
    private volatile String closedReason;

    private OpenMicCall() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "voxline-open-mic");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects, sends {@code start} and waits for {@code session.started}; the microphone starts at once.
     *
     * @throws TalkException no gateway, or the session did not start (the gateway's error in the message)
     */
    public static OpenMicCall connect(URI uri, ClientMessage.SessionStart start, Duration timeout) {
        OpenMicCall call = new OpenMicCall();
        try {
            call.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(uri, new WholeMessages(call.new Receiver())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            call.close();
            throw new TalkException("could not connect to " + uri + ": " + e.getMessage(), e);
        }
        call.send(start);
        Optional<ReceivedEvent> started = call.await(e -> e.event() instanceof VoiceEvent.SessionStarted
                || e.event() instanceof VoiceEvent.Error, 0, timeout);
        if (started.isEmpty() || !(started.get().event() instanceof VoiceEvent.SessionStarted)) {
            call.close();
            throw new TalkException("the session did not start: " + started.map(e -> ((VoiceEvent.Error) e.event())
                    .code() + ": " + ((VoiceEvent.Error) e.event()).message()).orElse("no session.started within "
                    + timeout.toMillis() + " ms"));
        }
        call.ticker.scheduleAtFixedRate(call::tick, 0, Pcm.FRAME_MS, TimeUnit.MILLISECONDS);
        return call;
    }

    /** The gateway's {@code session.started}. */
    public VoiceEvent.SessionStarted sessionStarted() {
        return (VoiceEvent.SessionStarted) events().stream().filter(e -> e.event() instanceof VoiceEvent.SessionStarted)
                .findFirst().orElseThrow().event();
    }

    /** Queues speech (16 kHz PCM16) after what is queued; completes when its last frame was sent. */
    public CompletableFuture<Said> say(byte[] pcm) {
        Utterance utterance = new Utterance(pcm);
        synchronized (speech) {
            speech.add(utterance);
        }
        return utterance.said;
    }

    /** Starts ({@code echo} non-null) or stops feeding the agent's voice back into the microphone. */
    public void echo(Echo echo) {
        this.echo = echo;
    }

    /** Sends a JSON message (after the audio already handed to the socket). */
    public CompletableFuture<?> send(ClientMessage message) {
        String json = JsonCodec.get().encodeToString(message);
        synchronized (sendLock) {
            sendTail = sendTail.thenCompose(ignored -> socket.sendText(json, true));
            return sendTail;
        }
    }

    /** Every event so far, in arrival order. */
    public List<ReceivedEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** How many events have arrived: a mark for {@link #await}'s {@code from}. */
    public int mark() {
        synchronized (events) {
            return events.size();
        }
    }

    /** The first event at index {@code from} or later that matches, waiting at most {@code timeout}. */
    public Optional<ReceivedEvent> await(Predicate<ReceivedEvent> match, int from, Duration timeout) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (match.test(events.get(i))) {
                        return Optional.of(events.get(i));
                    }
                }
                long left = deadline - clock.nanoTime();
                if (left <= 0 || closedReason != null) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Why the connection ended, or null while it is open. */
    public String closedReason() {
        return closedReason;
    }

    /** Sends {@code session.end} and closes the connection. */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && closedReason == null) {
            try {
                send(new ClientMessage.SessionEnd("bye")).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the socket goes anyway
            }
            ws.abort();
        }
        ticker.shutdownNow();
    }

    // ---- the microphone, every 20 ms

    private void tick() {
        try {
            short[] frame = nextSpeechFrame();
            short[] played = play();
            Echo current = echo;
            echoLine.addLast(played);
            int delayFrames = current != null ? current.delayMs() / Pcm.FRAME_MS : 0;
            while (echoLine.size() > delayFrames + 1) {
                echoLine.removeFirst();
            }
            if (current != null && echoLine.size() == delayFrames + 1) {
                mix(frame, echoLine.peekFirst(), current.gain());
            }
            byte[] bytes = Pcm.toBytes(frame);
            synchronized (sendLock) {
                sendTail = sendTail.thenCompose(ignored -> socket.sendBinary(ByteBuffer.wrap(bytes), true));
            }
        } catch (RuntimeException e) {
            closedReason = "microphone failed: " + e;
        }
    }

    private short[] nextSpeechFrame() {
        synchronized (speech) {
            Utterance utterance = speech.peekFirst();
            if (utterance == null) {
                return new short[FRAME_SAMPLES];
            }
            short[] frame = utterance.next(clock.nanoTime());
            if (utterance.done()) {
                speech.removeFirst();
            }
            return frame;
        }
    }

    private short[] play() {
        synchronized (speaker) {
            short[] frame = speaker.pollFirst();
            return frame != null ? frame : new short[FRAME_SAMPLES];
        }
    }

    private static void mix(short[] into, short[] add, double gain) {
        for (int i = 0; i < into.length; i++) {
            int sum = into[i] + (int) Math.round(add[i] * gain);
            into[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum));
        }
    }

    // ---- receiving

    private void onEvent(VoiceEvent event, long nanos) {
        if (event instanceof VoiceEvent.AudioClear || event instanceof VoiceEvent.AudioPaused) {
            synchronized (speaker) {
                speaker.clear();
            }
        }
        synchronized (events) {
            events.add(new ReceivedEvent(event, nanos));
            events.notifyAll();
        }
    }

    private void onAudio(byte[] pcm) {
        synchronized (speaker) {
            speakerFrames.accept(pcm, frame -> speaker.addLast(Pcm.toSamples(frame)));
        }
    }

    private void onClosed(String reason) {
        closedReason = reason;
        synchronized (events) {
            events.notifyAll();
        }
    }

    /** Whole messages from the gateway: events, reply audio, the end of the connection. */
    private final class Receiver implements WholeMessages.Sink {
        @Override
        public void text(String message, long nanos) {
            try {
                onEvent(JsonCodec.get().decodeEvent(message), nanos);
            } catch (JsonCodec.CodecException e) {
                // an event type this client does not know: ignored, as the protocol says
            }
        }

        @Override
        public void binary(byte[] message, long nanos) {
            onAudio(message);
        }

        @Override
        public void closed(String description) {
            onClosed(description);
        }
    }

    private static final class Utterance {
        final byte[] pcm;
        final CompletableFuture<Said> said = new CompletableFuture<>();
        int offset;
        long firstNanos;

        Utterance(byte[] pcm) {
            this.pcm = pcm;
        }

        short[] next(long nanos) {
            if (offset == 0) {
                firstNanos = nanos;
            }
            byte[] frame = new byte[FRAME_BYTES];
            int length = Math.min(FRAME_BYTES, pcm.length - offset);
            System.arraycopy(pcm, offset, frame, 0, length);
            offset += FRAME_BYTES;
            if (done()) {
                said.complete(new Said(firstNanos, nanos));
            }
            return Pcm.toSamples(frame);
        }

        boolean done() {
            return offset >= pcm.length;
        }
    }

}

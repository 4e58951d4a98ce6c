package dev.voxline.loadtest.client;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.client.WholeMessages;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client session on {@code /v1/talk} (docs/protocol.md), usable as a library:
 *
 * <pre>{@code
 * try (TalkSession session = TalkSession.connect(URI.create("ws://localhost:8080/v1/talk"))) {
 *     TalkResult result = session.run(TalkRequest.audio(WavReader.read(path)));
 * }
 * }</pre>
 *
 * It streams audio at a real-time clock ({@link PacingClock}, 20 ms frames), timestamps every event and reply frame
 * it receives, measures each turn's client-side E2E ({@link TurnTracker}) and reports it to the server as
 * {@code client.latency}. Runs ({@link #run}) are sequential within a session; sessions are independent and
 * non-blocking inside (callbacks and scheduled tasks on a shared scheduler), so a load generator can hold many.
 */
public final class TalkSession implements AutoCloseable {

    private static final Duration FRAME = Duration.ofMillis(Pcm.FRAME_MS);
    private static final int FRAME_BYTES = Pcm.frameBytes(SpeechAudio.SAMPLE_RATE, Pcm.FRAME_MS);
    /** After the audio has been sent, how long to let late events settle before a run may end. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long CHECK_EVERY_MS = 50;

    private static volatile HttpClient sharedClient;
    private static volatile ScheduledExecutorService sharedScheduler;

    private final URI uri;
    private final SessionOptions options;
    private final ScheduledExecutorService scheduler;
    private final NanoClock clock = NanoClock.SYSTEM;
    private final AudioTimeline timeline = new AudioTimeline(SpeechAudio.SAMPLE_RATE);
    private final TurnTracker tracker = new TurnTracker(timeline);
    private final CompletableFuture<VoiceEvent.SessionStarted> started = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final List<VoiceEvent.Error> startErrors = new ArrayList<>();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile Run current;
    private volatile Consumer<ReceivedEvent> observer = event -> { };
    private volatile boolean openMicrophone;
    private volatile ReplyAudioListener replyAudioListener = (bytes, nanos) -> { };

    private TalkSession(URI uri, SessionOptions options, ScheduledExecutorService scheduler) {
        this.uri = uri;
        this.options = options;
        this.scheduler = scheduler;
    }

    /** Connects and starts a session with the server's defaults. */
    public static TalkSession connect(URI uri) {
        return connect(uri, SessionOptions.defaults());
    }

    /**
     * Connects, sends {@code session.start} and waits for {@code session.started}.
     *
     * @throws TalkException with a message for a person: no gateway there, not a gateway, test settings refused …
     */
    public static TalkSession connect(URI uri, SessionOptions options) {
        try {
            return connectAsync(uri, options, defaultScheduler()).get();
        } catch (ExecutionException e) {
            throw asTalkException(e.getCause(), uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TalkException("interrupted while connecting to " + uri, e);
        }
    }

    /** The non-blocking form of {@link #connect(URI, SessionOptions)}; fails with a {@link TalkException}. */
    public static CompletableFuture<TalkSession> connectAsync(URI uri, SessionOptions options,
                                                              ScheduledExecutorService scheduler) {
        TalkSession session = new TalkSession(Objects.requireNonNull(uri), options, scheduler);
        return session.open()
                .thenCompose(ignored -> session.startSession())
                .handle((s, error) -> {
                    if (error != null) {
                        session.abort();
                        throw asTalkException(error, uri);
                    }
                    return s;
                });
    }

    public URI uri() {
        return uri;
    }

    public String sessionId() {
        return started.getNow(null) != null ? started.getNow(null).sessionId() : null;
    }

    /** The server's {@code session.started}: the resolved configuration and formats. */
    public VoiceEvent.SessionStarted sessionStarted() {
        return started.getNow(null);
    }

    /** Called with every event received, on the socket's thread; keep it quick (printing is fine). */
    public void onEvent(Consumer<ReceivedEvent> observer) {
        this.observer = observer != null ? observer : event -> { };
    }

    /** A reply audio frame arrived: its size in bytes and when (the load generator models playback from these). */
    @FunctionalInterface
    public interface ReplyAudioListener {
        void frame(int bytes, long nanos);
    }

    /**
     * Called with every reply audio frame received, on the socket's thread, in order with {@link #onEvent}'s
     * events (a frame belongs to the turn of the last {@code audio.start}); keep it quick.
     */
    public void onReplyAudio(ReplyAudioListener listener) {
        this.replyAudioListener = listener != null ? listener : (bytes, nanos) -> { };
    }

    /**
     * With {@code open}, every later audio run keeps the microphone open as a caller's does: after its audio and
     * trailing silence, digital silence goes on at real-time pace until the run ends (while the reply plays), so
     * the gateway hears one continuous stream. The run's timeouts still count from the end of the trailing silence.
     */
    public void keepMicrophoneOpen(boolean open) {
        this.openMicrophone = open;
    }

    /** Sends the request's input and waits until its turns have finished (never longer than its timeouts). */
    public TalkResult run(TalkRequest request) {
        try {
            return runAsync(request).get();
        } catch (ExecutionException e) {
            throw asTalkException(e.getCause(), uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TalkException("interrupted", e);
        }
    }

    /** The non-blocking form of {@link #run}; the future always completes (a timeout is a {@code problem}). */
    public synchronized CompletableFuture<TalkResult> runAsync(TalkRequest request) {
        if (current != null && !current.result.isDone()) {
            throw new IllegalStateException("a run is in progress; runs in one session are sequential");
        }
        if (closed.isDone()) {
            throw new TalkException("the session is closed: " + closed.getNow(""));
        }
        Run run = new Run(tracker.beginRun(), request);
        current = run;
        run.ticker = scheduler.scheduleAtFixedRate(() -> check(run), CHECK_EVERY_MS, CHECK_EVERY_MS,
                TimeUnit.MILLISECONDS);
        if (request.typed()) {
            // recorded before the send, so the echo (which may come back at once) always finds it
            tracker.textInputSent(clock.nanoTime());
            sendJson(new ClientMessage.TextInput(request.text())).whenComplete((ignored, error) -> {
                if (error != null) {
                    finish(run, "could not send text.input: " + rootMessage(error));
                } else {
                    inputSent(run);
                }
            });
        } else {
            PacingClock pacing = new PacingClock(clock, FRAME, request.speed());
            List<byte[]> frames = frames(request.audio().pcm(), request.trailingSilence());
            int input = frames.size();
            boolean open = openMicrophone;
            if (open) {
                frames.addAll(openMicrophoneSilence(request));
            }
            run.sender = new PacedAudioSender(frames, pacing, DelayScheduler.of(scheduler), frame -> {
                timeline.sent(frame.length / 2, clock.nanoTime());
                return sendBinary(frame);
            });
            if (open) {
                run.sender.whenSent(input, () -> inputSent(run));
            }
            run.sender.start().whenComplete((ignored, error) -> {
                if (error != null) {
                    finish(run, "audio stream failed: " + rootMessage(error));
                } else if (!open) {
                    inputSent(run);
                }
            });
        }
        return run.result;
    }

    /** Sends {@code session.end} and closes the connection (waits at most about two seconds). */
    @Override
    public void close() {
        Run run = current;
        if (run != null) {
            finish(run, "the session was closed");
        }
        if (socket != null && !closed.isDone()) {
            try {
                sendJson(new ClientMessage.SessionEnd("bye")).get(1, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the socket goes anyway
            }
        }
        abort();
    }

    private void abort() {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closed.complete("closed by the client");
    }

    // ---- connection

    private CompletableFuture<WebSocket> open() {
        Duration timeout = options.connectTimeout();
        return client(timeout).newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, new WholeMessages(new WholeMessages.Sink() {
                    @Override
                    public void text(String message, long nanos) {
                        onText(message, nanos);
                    }

                    @Override
                    public void binary(byte[] message, long nanos) {
                        onAudio(message, nanos);
                    }

                    @Override
                    public void closed(String description) {
                        onClosed(description);
                    }
                }))
                .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .thenApply(ws -> {
                    socket = ws;
                    return ws;
                });
    }

    private CompletableFuture<TalkSession> startSession() {
        ClientMessage.SessionStart start = new ClientMessage.SessionStart(SpeechAudio.SAMPLE_RATE,
                options.outputSampleRate(), options.vadProfile(),
                // simulated timings only mean something to the simulated engines
                options.requestedEngines(), null, options.simulation());
        return sendJson(start)
                .thenCompose(ignored -> started.orTimeout(options.connectTimeout().toMillis(),
                        TimeUnit.MILLISECONDS))
                .handle((sessionStarted, error) -> {
                    if (error != null) {
                        throw new CompletionException(new TalkException(startFailure(error)));
                    }
                    if (options.simulation() != null && sessionStarted.config().simulation() == null) {
                        throw new CompletionException(new TalkException("the gateway at " + uri
                                + " does not allow test settings (simulated timings): start it with "
                                + "./voxline up --allow-test-settings"));
                    }
                    return this;
                });
    }

    private String startFailure(Throwable error) {
        List<VoiceEvent.Error> errors;
        synchronized (startErrors) {
            errors = List.copyOf(startErrors);
        }
        if (!errors.isEmpty()) {
            VoiceEvent.Error first = errors.get(0);
            return "the gateway refused session.start: " + first.code() + ": " + first.message();
        }
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return "no session.started from " + uri + " within " + options.connectTimeout().toMillis() + " ms";
        }
        return closed.isDone() ? "the gateway closed the connection before the session started: "
                + closed.getNow("") : "session.start failed: " + rootMessage(cause);
    }

    private static HttpClient client(Duration connectTimeout) {
        HttpClient client = sharedClient;
        if (client == null) {
            synchronized (TalkSession.class) {
                if (sharedClient == null) {
                    sharedClient = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
                }
                client = sharedClient;
            }
        }
        return client;
    }

    /** The scheduler sessions use unless given one: two daemon threads, enough for many paced streams. */
    public static ScheduledExecutorService defaultScheduler() {
        ScheduledExecutorService scheduler = sharedScheduler;
        if (scheduler == null) {
            synchronized (TalkSession.class) {
                if (sharedScheduler == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
                        Thread thread = new Thread(runnable, "voxline-talk-clock");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    sharedScheduler = executor;
                }
                scheduler = sharedScheduler;
            }
        }
        return scheduler;
    }

    /** Turns a connection failure into a message that says what to do. */
    static TalkException asTalkException(Throwable error, URI uri) {
        Throwable cause = unwrap(error);
        if (cause instanceof TalkException talk) {
            return talk;
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof WebSocketHandshakeException) {
                break;
            }
            root = root.getCause();
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            return new TalkException(uri + " answered HTTP " + status + " instead of a WebSocket: is it a Voxline "
                    + "gateway? (the talk endpoint is /v1/talk)", cause);
        }
        if (root instanceof ConnectException || cause instanceof ConnectException
                || cause instanceof HttpConnectTimeoutException) {
            return new TalkException("no gateway at " + uri + ": start it with ./voxline up", cause);
        }
        if (root instanceof UnresolvedAddressException || cause instanceof UnresolvedAddressException) {
            return new TalkException("unknown host in " + uri, cause);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return new TalkException("no answer from " + uri + " in time: is the gateway running? start it with "
                    + "./voxline up", cause);
        }
        return new TalkException("cannot talk to " + uri + ": " + rootMessage(cause), cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = unwrap(error);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    // ---- sending: one send at a time (java.net.http.WebSocket allows no overlapping sends)

    private CompletableFuture<Void> sendJson(ClientMessage message) {
        String json = JsonCodec.get().encodeToString(message);
        return enqueue(ws -> ws.sendText(json, true));
    }

    private CompletableFuture<Void> sendBinary(byte[] frame) {
        return enqueue(ws -> ws.sendBinary(ByteBuffer.wrap(frame), true));
    }

    private CompletableFuture<Void> enqueue(Function<WebSocket, CompletableFuture<WebSocket>> send) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        synchronized (sendLock) {
            sendTail = sendTail.handle((ignored, error) -> null)
                    .thenCompose(ignored -> send.apply(socket))
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            sent.completeExceptionally(error);
                        } else {
                            sent.complete(null);
                        }
                    });
        }
        return sent;
    }

    /**
     * Silence for as long as a run can last after its input (the reply timeout and the metrics wait, a frame more):
     * the run's end cancels it long before. One shared frame: nothing writes to it.
     */
    private static List<byte[]> openMicrophoneSilence(TalkRequest request) {
        long ms = request.replyTimeout().plus(request.metricsWait()).toMillis() + Pcm.FRAME_MS;
        return Collections.nCopies((int) (ms / Pcm.FRAME_MS), new byte[FRAME_BYTES]);
    }

    /** The audio cut into 20 ms frames (the last one padded), then {@code silence} of digital silence. */
    static List<byte[]> frames(byte[] pcm, Duration silence) {
        List<byte[]> frames = new ArrayList<>();
        for (int offset = 0; offset < pcm.length; offset += FRAME_BYTES) {
            byte[] frame = new byte[FRAME_BYTES];
            System.arraycopy(pcm, offset, frame, 0, Math.min(FRAME_BYTES, pcm.length - offset));
            frames.add(frame);
        }
        long silentFrames = (silence.toMillis() + Pcm.FRAME_MS - 1) / Pcm.FRAME_MS;
        for (long i = 0; i < silentFrames; i++) {
            frames.add(new byte[FRAME_BYTES]);
        }
        return frames;
    }

    // ---- receiving

    private void onText(String json, long nanos) {
        VoiceEvent event;
        try {
            event = JsonCodec.get().decodeEvent(json);
        } catch (JsonCodec.CodecException e) {
            return; // an event type this client does not know: ignored, as the protocol says
        }
        if (!started.isDone()) {
            if (event instanceof VoiceEvent.SessionStarted sessionStarted) {
                started.complete(sessionStarted);
            } else if (event instanceof VoiceEvent.Error error && !ErrorCodes.TEST_SETTINGS_DISABLED.equals(
                    error.code())) {
                synchronized (startErrors) {
                    startErrors.add(error);
                }
                started.completeExceptionally(new IllegalStateException(error.message()));
            }
        }
        tracker.onEvent(event, nanos);
        observer.accept(new ReceivedEvent(event, nanos));
        Run run = current;
        if (run != null) {
            check(run);
        }
    }

    private void onAudio(byte[] pcm, long nanos) {
        replyAudioListener.frame(pcm.length, nanos);
        tracker.onAudio(pcm, nanos).ifPresent(this::sendJson);
    }

    private void onClosed(String description) {
        closed.complete(description);
        started.completeExceptionally(new IllegalStateException(description));
        Run run = current;
        if (run != null) {
            finish(run, "the connection ended: " + description);
        }
    }

    // ---- runs

    private void inputSent(Run run) {
        run.inputSentNanos = clock.nanoTime();
        run.inputSent = true;
        Duration timeout = run.request.replyTimeout();
        run.timeout = scheduler.schedule(() -> finish(run, "timed out " + timeout.toMillis()
                + " ms after the input was sent, waiting for " + tracker.describeUnfinished(run.id,
                clock.nanoTime(), run.metricsWaitNanos())), timeout.toMillis(), TimeUnit.MILLISECONDS);
        check(run);
    }

    private void check(Run run) {
        if (run.result.isDone() || !run.inputSent) {
            return;
        }
        long now = clock.nanoTime();
        long sinceInput = now - run.inputSentNanos;
        int turns = tracker.turnCount(run.id);
        if (turns == 0) {
            if (!run.request.typed() && sinceInput >= run.request.noSpeechWait().toNanos()) {
                finish(run, "no speech heard: the gateway found no speech in the audio");
            }
            return;
        }
        boolean settled = run.request.typed() || sinceInput >= SETTLE_NANOS;
        if (settled && tracker.unfinished(run.id, now, run.metricsWaitNanos()).isEmpty()) {
            finish(run, null);
        }
    }

    private void finish(Run run, String problem) {
        synchronized (run) {
            if (run.result.isDone()) {
                return;
            }
            if (run.ticker != null) {
                run.ticker.cancel(false);
            }
            if (run.timeout != null) {
                run.timeout.cancel(false);
            }
            if (run.sender != null) {
                run.sender.cancel();
            }
            long now = clock.nanoTime();
            run.result.complete(new TalkResult(sessionId(), tracker.results(run.id, now, run.metricsWaitNanos()),
                    tracker.sessionErrors(run.id), problem));
        }
    }

    private static final class Run {
        final int id;
        final TalkRequest request;
        final CompletableFuture<TalkResult> result = new CompletableFuture<>();
        volatile PacedAudioSender sender;
        volatile ScheduledFuture<?> ticker;
        volatile ScheduledFuture<?> timeout;
        volatile boolean inputSent;
        volatile long inputSentNanos;

        Run(int id, TalkRequest request) {
            this.id = id;
            this.request = request;
        }

        long metricsWaitNanos() {
            return request.metricsWait().toNanos();
        }
    }

}

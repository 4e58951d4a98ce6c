package dev.voxline.local;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.client.WholeMessages;
import dev.voxline.contracts.event.VoiceEvent;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Spoken turns through the running pipeline before {@code ./voxline up} says it is ready. The first turns after a
 * start run on cold code all along the path (class loading, the interpreter before the JIT, the first records of each
 * Kafka consumer), which no engine's own warm-up reaches; these turns run that code before the first caller does.
 *
 * <p>One session on the gateway's {@code /v1/talk}, as any client: per turn the shipped phrase "What time is it?"
 * at {@link #SPEED}× real time in 20 ms frames, then silence at the same pace until the reply's first audio frame,
 * then {@code interrupt} and its {@code audio.clear} (or the reply's {@code audio.done}); after the last turn,
 * {@code session.end}. Each turn has {@link #TURN_TIMEOUT}. It never throws: what went wrong is the result's
 * {@code problem}, and the stack starts all the same.
 */
final class WarmUp {

    /** The phrase every warm-up turn says (a copy of loadtest's {@code q04-what-time.wav}). */
    static final String PHRASE = "/warm-up/what-time-is-it.wav";
    static final Duration TURN_TIMEOUT = Duration.ofSeconds(8);
    /**
     * How much faster than real time the audio goes (the gateway has no rate limit, only a frame size limit). The
     * turn clock starts at the last voiced frame's arrival, so when STT decodes slower than 4× real time (a loaded
     * machine) these turns report a longer e2e than a caller's: the decoding a caller's speech overlaps is counted.
     */
    static final double SPEED = 4.0;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /**
     * What a warm-up did: its session (null when none started), the turns it was asked for, how many got reply
     * audio, how long it took in all, and what stopped it (null when every turn was answered).
     */
    record Result(String sessionId, int turns, int answered, long millis, String problem) {

        /** E.g. "3 of 3 turns answered in 2.4 s", "1 of 3 turns answered in 9.1 s (turn 2: …)". */
        String summary() {
            if (turns == 0) {
                return "off (--warm-up=0): the first turns run on cold code";
            }
            return String.format(Locale.ROOT, "%d of %d turns answered in %.1f s%s", answered, turns, millis / 1000.0,
                    problem == null ? "" : " (" + problem + ")");
        }

        /** One line for a person, e.g. "warm-up: 1 of 3 turns answered in 4.2 s (the gateway: connection refused)". */
        String describe() {
            return "warm-up: " + summary();
        }
    }

    private WarmUp() {
    }

    /** {@code turns} warm-up turns on the gateway at {@code 127.0.0.1:gatewayPort}; none when 0. */
    static Result run(int gatewayPort, int turns) {
        return run(URI.create("ws://127.0.0.1:" + gatewayPort + "/v1/talk"), turns, TURN_TIMEOUT);
    }

    static Result run(URI talk, int turns, Duration turnTimeout) {
        long start = System.nanoTime();
        if (turns <= 0) {
            return new Result(null, 0, 0, 0, null);
        }
        Session session = null;
        String problem;
        try {
            session = new Session(talk, Wav.classPath(PHRASE), turnTimeout);
            problem = session.talk(turns);
        } catch (RuntimeException e) { // a bug, or a build without the phrase: the stack starts all the same
            problem = "failed: " + reason(e);
        }
        return new Result(session == null ? null : session.downlink.sessionId(), turns,
                session == null ? 0 : session.answered, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                problem);
    }

    /** Why an attempt to use the socket failed, in a few words. */
    static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            return cause instanceof TimeoutException ? "no answer in time" : cause.getClass().getSimpleName();
        }
        return message;
    }

    /** One warm-up session: the socket, what came down it, and the turns it has had answered. */
    private static final class Session {

        private final URI talk;
        private final Wav phrase;
        private final Duration turnTimeout;
        private final int frameBytes;
        /** Held for the socket's lifetime: the JDK closes a client's WebSockets once the client itself is garbage. */
        private final HttpClient http = HttpClient.newHttpClient();
        private final Downlink downlink = new Downlink();
        private WebSocket socket;
        private int answered;

        Session(URI talk, Wav phrase, Duration turnTimeout) {
            this.talk = talk;
            this.phrase = phrase;
            this.turnTimeout = turnTimeout;
            this.frameBytes = Pcm.frameBytes(phrase.sampleRate(), Pcm.FRAME_MS);
        }

        /** Connects, says the phrase {@code turns} times and ends the session; the problem, or null. */
        String talk(int turns) {
            try {
                String problem = connect();
                for (int turn = 1; problem == null && turn <= turns; turn++) {
                    problem = turn(turn);
                }
                return problem;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (ExecutionException | TimeoutException e) {
                return "the gateway: " + downlink.closedOr("cannot send: " + reason(e));
            } finally {
                close();
            }
        }

        /** The socket and {@code session.start}, answered by {@code session.started}; the problem or null. */
        private String connect() throws InterruptedException, ExecutionException, TimeoutException {
            try {
                socket = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                        .buildAsync(talk, new WholeMessages(downlink))
                        .get(CONNECT_TIMEOUT.plus(turnTimeout).toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return "the gateway: " + reason(e) + " at " + talk;
            }
            long deadline = System.nanoTime() + turnTimeout.toNanos();
            // synthetic: its turns are reported, but stay out of the alert windows and latency histograms
            send(socket.sendText(json(new ClientMessage.SessionStart(phrase.sampleRate(), null, null, null, null,
                    null, null, true)), true), deadline);
            if (!downlink.await(() -> downlink.sessionId() != null, deadline)) {
                return "the gateway: " + downlink.closedOr("no session.started within " + seconds());
            }
            return null;
        }

        /** One turn: the phrase, silence until the reply's first audio, then {@code interrupt}; the problem or null. */
        private String turn(int turn) throws InterruptedException, ExecutionException, TimeoutException {
            long start = System.nanoTime();
            long deadline = start + turnTimeout.toNanos();
            int repliesBefore = downlink.replyFrames();
            int endsBefore = downlink.audioEnds();
            BooleanSupplier replied = () -> downlink.replyFrames() > repliesBefore;
            byte[] silence = new byte[frameBytes];
            long frameNanos = (long) (Pcm.FRAME_MS * 1_000_000L / SPEED);
            for (int frame = 0; !downlink.await(replied, Math.min(deadline, start + frame * frameNanos)); frame++) {
                if (System.nanoTime() >= deadline || downlink.closed() != null) {
                    return "turn " + turn + ": " + downlink.closedOr("no reply audio within " + seconds()
                            + downlink.lastError());
                }
                int offset = frame * frameBytes;
                send(socket.sendBinary(ByteBuffer.wrap(offset >= phrase.pcm().length ? silence
                        : Arrays.copyOfRange(phrase.pcm(), offset, Math.min(phrase.pcm().length, offset + frameBytes))),
                        true), deadline);
            }
            answered++;
            send(socket.sendText(json(new ClientMessage.Interrupt(null)), true), deadline);
            if (!downlink.await(() -> downlink.audioEnds() > endsBefore, deadline)) {
                return "turn " + turn + ": " + downlink.closedOr("no audio.clear within " + seconds()
                        + " of its start");
            }
            return null;
        }

        private void send(CompletableFuture<WebSocket> sending, long deadline)
                throws InterruptedException, ExecutionException, TimeoutException {
            sending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        /** {@code session.end}, the gateway's close (briefly), then the socket goes. */
        private void close() {
            if (socket == null) {
                return;
            }
            try {
                if (downlink.closed() == null) {
                    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
                    send(socket.sendText(json(new ClientMessage.SessionEnd("warm-up")), true), deadline);
                    downlink.await(() -> false, deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the socket goes anyway
            } finally {
                socket.abort();
            }
        }

        private String seconds() {
            return turnTimeout.toMillis() % 1000 == 0 ? turnTimeout.toSeconds() + " s" : turnTimeout.toMillis() + " ms";
        }

        private static String json(ClientMessage message) {
            return JsonCodec.get().encodeToString(message);
        }
    }

    /**
     * What the gateway sends, as far as a warm-up needs it: the session id, how many reply audio frames and turn
     * audio ends ({@code audio.done}, {@code audio.clear}) arrived, the last {@code error}, and why the connection
     * ended. Waiters are woken on every message.
     */
    private static final class Downlink implements WholeMessages.Sink {

        private String sessionId;
        private int replyFrames;
        private int audioEnds;
        private String lastError;
        private String closed;

        synchronized String sessionId() {
            return sessionId;
        }

        synchronized int replyFrames() {
            return replyFrames;
        }

        synchronized int audioEnds() {
            return audioEnds;
        }

        synchronized String closed() {
            return closed;
        }

        /** The last {@code error} as " (last error: code: message)", or "". */
        synchronized String lastError() {
            return lastError == null ? "" : " (last error: " + lastError + ")";
        }

        /** Why the connection ended, else {@code otherwise}. */
        synchronized String closedOr(String otherwise) {
            return closed != null ? closed : otherwise;
        }

        /** Until {@code condition} holds (true), the connection ends or {@code deadline} ({@link System#nanoTime}). */
        synchronized boolean await(BooleanSupplier condition, long deadline) throws InterruptedException {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed != null) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public void text(String message, long nanos) {
            event(message);
        }

        private synchronized void event(String message) {
            VoiceEvent event;
            try {
                event = JsonCodec.get().decodeEvent(message);
            } catch (RuntimeException e) {
                return; // a type this build does not know: not one a warm-up waits for
            }
            if (event instanceof VoiceEvent.SessionStarted started) {
                sessionId = started.sessionId();
            } else if (event instanceof VoiceEvent.AudioDone || event instanceof VoiceEvent.AudioClear) {
                audioEnds++;
            } else if (event instanceof VoiceEvent.Error error) {
                lastError = error.code() + ": " + error.message();
            }
            notifyAll();
        }

        @Override
        public synchronized void binary(byte[] message, long nanos) {
            replyFrames++;
            notifyAll();
        }

        @Override
        public synchronized void closed(String description) {
            closed = description;
            notifyAll();
        }
    }
}

package dev.voxline.gateway.turn;

import dev.voxline.contracts.audio.Pcm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Paces one session's reply audio in real time with a bounded lead: playback of a turn starts when
 * its first frame is sent, and frame k may be sent once {@code k·20 ms − lead ≤ elapsed since that start}. So the
 * gateway never sends more than about {@code lead} ahead of the caller, a slow client cannot make it buffer, and
 * {@link #playedMs} — what the caller has heard — is known at any moment.
 *
 * <p>Pure logic on an injected clock (every method takes {@code nowMs}); the session drives {@link #drain} from a
 * Reactor ticker. Not thread-safe: the owning session serialises calls.
 *
 * <p>Two refinements keep the model honest: after an underrun (synthesis slower than playback) the client played
 * silence, so playback is re-anchored when audio resumes; and a turn that follows another starts playing where the
 * previous turn's buffered audio ends, so the lead holds across turns.
 */
public final class ReplyPacer {

    private final int sampleRate;
    private final long leadMicros;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Frames sent recently (newest last), so a pause can take back what was sent but not yet heard. */
    private final ArrayDeque<byte[]> recentlySent = new ArrayDeque<>();
    private final int recentFrames;
    private boolean paused;
    /** Cuts the turn's audio into 20 ms frames; its remainder is the partial frame not yet queued. */
    private final Pcm.Rechunker chunker;

    private String turnId;
    private boolean started;
    private long startMicros;
    private long sentSamples;
    /** When the caller will have played everything sent so far (session-wide, across turns). */
    private long bufferedUntilMicros = Long.MIN_VALUE;

    public ReplyPacer(int sampleRate, Duration lead) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive");
        }
        this.sampleRate = sampleRate;
        int frameBytes = Math.max(2, sampleRate * Pcm.FRAME_MS / 1000 * 2);
        this.leadMicros = lead.toNanos() / 1_000;
        this.chunker = new Pcm.Rechunker(frameBytes);
        this.recentFrames = (int) (leadMicros / (Pcm.FRAME_MS * 1_000L)) + 3;
    }

    /** Starts pacing a turn; any previous turn must have been {@link #end ended} or {@link #clear cleared}. */
    public void begin(String newTurnId) {
        if (turnId != null) {
            throw new IllegalStateException("turn " + turnId + " is still playing");
        }
        turnId = newTurnId;
        started = false;
        paused = false;
        sentSamples = 0;
        queue.clear();
        recentlySent.clear();
        chunker.clear();
    }

    /** Queues audio of the current turn (PCM16LE at this pacer's rate, whole samples), cut into 20 ms frames. */
    public void enqueue(byte[] pcm, long nowMs) {
        if (turnId == null) {
            throw new IllegalStateException("no turn is playing");
        }
        long now = nowMs * 1_000;
        if (started && queue.isEmpty() && now - startMicros > sentMicros()) {
            // Underrun: the caller ran out of audio and heard silence; pace the rest from now.
            startMicros = now - sentMicros();
        }
        chunker.accept(pcm, queue::add);
    }

    /** The turn's audio is complete: the last partial frame (if any) may go out as a short frame. */
    public void flush() {
        chunker.flush(queue::add);
    }

    /** Hands every frame that is due at {@code nowMs} to {@code sink}; returns how many. */
    public int drain(long nowMs, Consumer<byte[]> sink) {
        long now = nowMs * 1_000;
        int sent = 0;
        while (!queue.isEmpty() && !paused) {
            long start = started ? startMicros : Math.max(now, bufferedUntilMicros);
            if (sentMicros() - leadMicros > now - start) {
                break;
            }
            if (!started) {
                started = true;
                startMicros = start;
            }
            byte[] frame = queue.poll();
            sentSamples += frame.length / 2;
            recentlySent.addLast(frame);
            if (recentlySent.size() > recentFrames) {
                recentlySent.pollFirst();
            }
            bufferedUntilMicros = startMicros + sentMicros();
            sink.accept(frame);
            sent++;
        }
        return sent;
    }

    /** Audio of the current turn not yet sent (queued frames or a partial frame). */
    public boolean hasQueued() {
        return !queue.isEmpty() || chunker.pendingBytes() > 0;
    }

    public String turnId() {
        return turnId;
    }

    /** Audio of the current turn sent so far. */
    public long sentMs() {
        return sentMicros() / 1_000;
    }

    /** What the caller has heard of the current turn: min(sent, elapsed since its playback started). */
    public long playedMs(long nowMs) {
        if (!started) {
            return 0;
        }
        if (paused) {
            return sentMs();
        }
        long elapsed = Math.max(0, nowMs * 1_000 - startMicros);
        return Math.min(sentMicros(), elapsed) / 1_000;
    }

    /**
     * Drops the current turn's audio that was not sent yet but keeps the turn playing: a newer generation's audio
     * follows (the caller went on after a pause and the turn is answered again).
     */
    public void dropQueued() {
        queue.clear();
        chunker.clear();
    }

    /** The turn finished normally; the caller still plays what is buffered. */
    public void end() {
        turnId = null;
        paused = false;
        recentlySent.clear();
        queue.clear();
        chunker.clear();
    }

    /** Stops the turn at once: drops what was not sent; the client flushes what it buffered. Returns playedMs. */
    public long clear(long nowMs) {
        long played = playedMs(nowMs);
        turnId = null;
        paused = false;
        recentlySent.clear();
        queue.clear();
        chunker.clear();
        bufferedUntilMicros = nowMs * 1_000;
        return played;
    }

    /**
     * Stops the turn where the caller is now (they spoke over the agent): the frames sent but not yet heard are
     * taken back (the client drops its buffer), so a {@link #resume} plays on from exactly what was heard. Returns
     * that position, in ms of the turn's audio.
     */
    public long pause(long nowMs) {
        if (turnId == null || paused) {
            return sentMs();
        }
        long played = playedMs(nowMs);
        while (!recentlySent.isEmpty() && sentMicros() - recentlySent.peekLast().length / 2 * 1_000_000L
                / sampleRate >= played * 1_000L) {
            byte[] frame = recentlySent.pollLast();
            sentSamples -= frame.length / 2;
            queue.addFirst(frame);
        }
        paused = true;
        bufferedUntilMicros = nowMs * 1_000;
        return sentMs();
    }

    /** Plays on after a {@link #pause}, from where it stopped; returns that position (ms of the turn's audio). */
    public long resume(long nowMs) {
        if (paused) {
            paused = false;
            // re-anchored so that the next frame is due now and the lead builds up again
            startMicros = nowMs * 1_000 - sentMicros();
            started = true;
            recentlySent.clear();
        }
        return sentMs();
    }

    public boolean paused() {
        return paused;
    }

    /** True while the caller is hearing reply audio (a turn is being paced, or sent audio is still playing). */
    public boolean audible(long nowMs) {
        return (turnId != null && !paused) || nowMs * 1_000 < bufferedUntilMicros;
    }

    private long sentMicros() {
        return sentSamples * 1_000_000L / sampleRate;
    }
}

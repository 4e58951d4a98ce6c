package dev.voxline.gateway.turn;

import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores protocol order for one session (docs/protocol.md §6). Kafka orders the downlink by arrival, not by
 * cause, so a turn's events can arrive early (a {@code reply.delta} before its {@code transcript.final}); this
 * class holds each such event until its predecessor has been sent, or until {@code orderTimeout} passes, or until
 * an {@code error} for the turn arrives. It also brackets each turn's reply audio with {@code audio.start} and
 * {@code audio.done}/{@code audio.clear}, plays turns one after another, and paces the audio through a
 * {@link ReplyPacer}.
 *
 * <p>Per turn the client sees: {@code speech.*}, {@code transcript.interim}*, {@code transcript.final},
 * {@code reply.delta}*, {@code reply.done}; {@code audio.start} only after the final transcript; {@code audio.done}
 * only after {@code reply.done}, {@code synthesis.done} and the last frame. The rules are expressed as a monotonic
 * per-turn gate (nothing → speech started → speech ended → final) that each event type requires a level of. A turn
 * the agent starts on its own (an idle prompt) has no speech and no transcript: its {@code agent.turn} opens the gate
 * as a final transcript would, and from there it is ordered, played and interrupted like any other turn.
 *
 * <p>A turn is answered by its latest generation: when the caller goes on after a pause, llm-service answers the
 * turn again ({@code reply.done} of the earlier generation names its successor in {@code supersededBy}, or the new
 * generation's first event shows it). Audio and events of a superseded generation are dropped, its audio not yet
 * sent is dropped, and the turn's audio ends only with the latest generation's {@code reply.done} and
 * {@code synthesis.done}; if the earlier answer had already finished playing, the new one gets its own
 * {@code audio.start}/{@code audio.done}.
 *
 * <p>Pure logic: no Kafka, no Spring, no threads; time comes in as {@code nowMs}. Not thread-safe — the owning
 * session serialises calls and drives {@link #tick} while {@link #needsTick()} says so.
 */
public final class TurnSequencer {

    private static final Logger log = LoggerFactory.getLogger(TurnSequencer.class);

    /** Finished turns remembered so that their late records are recognised and dropped. */
    static final int REMEMBERED_TURNS = 64;
    /** A playing turn that has not moved for this many order timeouts is finished whatever else is missing. */
    private static final int STALL_LIMIT_FACTOR = 5;
    public static final String CLEAR_REASON_INTERRUPTED = "interrupted";
    /** A paused reply resumes by itself after this, should llm-service never decide (a lost record). */
    static final long PAUSE_LIMIT_MS = 8_000;

    private static final int GATE_NONE = 0;
    private static final int GATE_SPEECH_STARTED = 1;
    private static final int GATE_SPEECH_ENDED = 2;
    private static final int GATE_FINAL = 3;

    /** Where ordered output goes: JSON events and binary reply-audio frames, in the order the client must see. */
    public interface Output {
        void event(VoiceEvent event);

        void audio(String turnId, byte[] frame);

        /** The turn ended without any reply audio reaching the client (none was produced, or it was cancelled). */
        default void endedWithoutAudio(String turnId) {
        }

        /** A newer generation answers the turn: its reply audio, not the earlier one's, is the turn's answer. */
        default void generationChanged(String turnId) {
        }

        /** The turn's reply audio starts reaching the caller. */
        default void playbackStarted(String turnId, String generationId) {
        }

        /**
         * The turn's reply audio is over: all of it sent ({@code interrupted} false) or stopped; {@code heardText}:
         * the words of the reply the caller heard.
         */
        default void playbackStopped(String turnId, String generationId, long audioMs, long playedMs,
                                     boolean interrupted, String heardText) {
        }
    }

    enum AudioState { NONE, WAITING, PLAYING, DONE, CLEARED, SKIPPED }

    private final String sessionId;
    private final AudioFormat outputFormat;
    private final long orderTimeoutMs;
    private final ReplyPacer pacer;
    private final Output out;
    private final Map<String, Turn> turns = new LinkedHashMap<>();
    /** Turns with reply audio that has not started playing, in the order their audio arrived. */
    private final ArrayDeque<Turn> playQueue = new ArrayDeque<>();
    private Turn playing;
    private long droppedAudioChunks;

    public TurnSequencer(String sessionId, AudioFormat outputFormat, Duration playbackLead, Duration orderTimeout,
                         Output out) {
        this.sessionId = sessionId;
        this.outputFormat = outputFormat;
        this.orderTimeoutMs = orderTimeout.toMillis();
        this.pacer = new ReplyPacer(outputFormat.sampleRate(), playbackLead);
        this.out = out;
    }

    /** A JSON event for the client (from the downlink, or created by the gateway such as a typed final). */
    public void onEvent(VoiceEvent event, long nowMs) {
        if (event instanceof VoiceEvent.Interrupt interrupt) {
            clear(interrupt.turnId(), interrupt.interruptingTurnId(), nowMs);
            return;
        }
        if (event instanceof VoiceEvent.InterruptPending) {
            pause(nowMs);
            return;
        }
        if (event instanceof VoiceEvent.InterruptResumed) {
            resume(nowMs);
            return;
        }
        if (event instanceof VoiceEvent.PlaybackStarted || event instanceof VoiceEvent.PlaybackStopped
                || event instanceof VoiceEvent.AudioPaused || event instanceof VoiceEvent.AudioResumed) {
            return; // the gateway's own, never from the downlink
        }
        if (event instanceof VoiceEvent.AudioStart || event instanceof VoiceEvent.AudioDone
                || event instanceof VoiceEvent.AudioClear || event instanceof VoiceEvent.ReplyClause
                || event instanceof VoiceEvent.SessionStarted || event instanceof VoiceEvent.SessionEnded) {
            log.debug("session {}: ignoring {} on the downlink: the gateway creates or consumes these itself",
                    sessionId, event.getClass().getSimpleName());
            return;
        }
        String turnId = event.turnId();
        if (turnId == null) {
            out.event(event);
            return;
        }
        Turn turn = turn(turnId);
        String generation = generationOf(event);
        if (generation != null && !followGeneration(turn, generation)) {
            log.debug("session {} turn {}: {} of superseded generation {} dropped", sessionId, turnId,
                    typeName(event), generation);
            return;
        }
        if (event instanceof VoiceEvent.ReplyDone done && done.supersededBy() != null) {
            followGeneration(turn, done.supersededBy()); // the client still sees this reply.done (cancelled)
        }
        if (event instanceof VoiceEvent.SynthesisDone done) {
            onSynthesisDone(turn, done, nowMs);
        } else if (event instanceof VoiceEvent.Error) {
            out.event(event);
            turn.failed = true;
            turn.lastActivityMs = nowMs;
            openGate(turn, GATE_FINAL);
            release(turn, nowMs);
        } else if (requiredGate(event) >= 0) {
            offer(turn, event, nowMs);
        } else {
            out.event(event); // turn.metrics, alert: produced after the turn, never held
        }
        pump(nowMs);
        forgetOldTurns();
    }

    /** Reply audio of a turn: PCM16LE at {@code sampleRate}, any length. */
    public void onAudio(String turnId, byte[] pcm, int sampleRate, long nowMs) {
        onAudio(turnId, null, pcm, sampleRate, nowMs);
    }

    /** Reply audio of a turn's generation ({@code generationId} null when unknown). */
    public void onAudio(String turnId, String generationId, byte[] pcm, int sampleRate, long nowMs) {
        onAudio(turnId, generationId, pcm, sampleRate, null, nowMs);
    }

    /**
     * Reply audio; {@code clauseText}: the clause whose first chunk this is (null for the rest), so that what the
     * caller heard of the reply can be told in words.
     */
    public void onAudio(String turnId, String generationId, byte[] pcm, int sampleRate, String clauseText,
                        long nowMs) {
        if (turnId == null) {
            droppedAudioChunks++;
            log.warn("session {}: reply audio without a turn dropped", sessionId);
            return;
        }
        Turn turn = turn(turnId);
        if (generationId != null && !followGeneration(turn, generationId)) {
            droppedAudioChunks++;
            log.debug("session {} turn {}: audio of superseded generation {} dropped", sessionId, turnId,
                    generationId);
            return;
        }
        if (turn.audio == AudioState.DONE || turn.audio == AudioState.CLEARED || turn.audio == AudioState.SKIPPED) {
            droppedAudioChunks++;
            log.debug("session {} turn {}: late audio of a {} turn dropped", sessionId, turnId, turn.audio);
            return;
        }
        byte[] audio = turn.toOutputRate(pcm, sampleRate, outputFormat.sampleRate());
        if (audio.length == 0) {
            return;
        }
        if (clauseText != null) {
            turn.spoken.clauseStarts(turn.enqueuedBytes * 1000 / (outputFormat.sampleRate() * 2L), clauseText);
        }
        turn.enqueuedBytes += audio.length;
        turn.lastActivityMs = nowMs;
        if (turn.audio == AudioState.PLAYING) {
            pacer.enqueue(audio, nowMs);
        } else {
            turn.waitingAudio.add(audio);
            if (turn.audio == AudioState.NONE) {
                turn.audio = AudioState.WAITING;
                turn.firstAudioMs = nowMs;
                playQueue.add(turn);
            }
        }
        pump(nowMs);
        forgetOldTurns();
    }

    /**
     * Stops a turn's reply: drops its audio and sends {@code audio.clear}. {@code turnId} null means every turn that
     * is playing or still being prepared. Returns the turns cleared (empty when nothing was pending).
     */
    public List<String> clear(String turnId, long nowMs) {
        return clear(turnId, null, nowMs);
    }

    /** As {@link #clear(String, long)}, never clearing {@code keepTurnId} (the caller's turn that interrupts). */
    public List<String> clear(String turnId, String keepTurnId, long nowMs) {
        List<Turn> targets = new ArrayList<>();
        if (turnId != null) {
            Turn turn = turns.get(turnId);
            if (turn != null && turn.interruptible() && !turn.id.equals(keepTurnId)) {
                targets.add(turn);
            }
        } else {
            for (Turn turn : turns.values()) {
                if (turn.interruptible() && !turn.id.equals(keepTurnId)) {
                    targets.add(turn);
                }
            }
        }
        List<String> cleared = new ArrayList<>(targets.size());
        for (Turn turn : targets) {
            long playedMs = 0;
            if (turn == playing) {
                playedMs = pacer.clear(nowMs);
                playing = null;
            } else {
                playQueue.remove(turn);
                turn.waitingAudio.clear();
            }
            boolean wasPlaying = turn.playbackStarted;
            turn.audio = AudioState.CLEARED;
            out.event(new VoiceEvent.AudioClear(sessionId, turn.id, CLEAR_REASON_INTERRUPTED, playedMs));
            if (wasPlaying) {
                stopped(turn, playedMs, true);
            }
            cleared.add(turn.id);
        }
        pump(nowMs);
        return cleared;
    }

    /**
     * The caller spoke over the agent: the playing turn stops where the caller is (the client drops its buffer on
     * {@code audio.paused}); no other turn starts meanwhile. Returns the paused turn, or null when none was playing.
     */
    public String pause(long nowMs) {
        if (playing == null || pacer.paused()) {
            return null;
        }
        long playedMs = pacer.pause(nowMs);
        playing.pausedAtMs = nowMs;
        playing.lastActivityMs = nowMs;
        out.event(new VoiceEvent.AudioPaused(sessionId, playing.id, playedMs));
        return playing.id;
    }

    /** A false interruption: the paused turn plays on from where the caller stopped hearing it. */
    public String resume(long nowMs) {
        if (playing == null || !pacer.paused()) {
            return null;
        }
        long fromMs = pacer.resume(nowMs);
        playing.pausedAtMs = -1;
        playing.lastActivityMs = nowMs;
        out.event(new VoiceEvent.AudioResumed(sessionId, playing.id, fromMs));
        pump(nowMs);
        return playing.id;
    }

    /** The turn whose audio is paused, or null. */
    public String pausedTurn() {
        return playing != null && pacer.paused() ? playing.id : null;
    }

    /** The client's own report of how much of a turn it played (it may lag behind what pacing assumes). */
    public void onPlaybackPosition(String turnId, long playedMs) {
        Turn turn = turns.get(turnId);
        if (turn != null) {
            turn.clientPlayedMs = playedMs;
        }
    }

    /** Sends audio that has become due and releases whatever waited longer than the order timeout. */
    public void tick(long nowMs) {
        if (playing != null && pacer.paused() && nowMs - playing.pausedAtMs >= PAUSE_LIMIT_MS) {
            log.warn("session {} turn {}: paused for {} ms without a decision; resuming", sessionId, playing.id,
                    PAUSE_LIMIT_MS);
            resume(nowMs);
        }
        for (Turn turn : turns.values()) {
            while (!turn.held.isEmpty() && nowMs - turn.held.peek().arrivedMs >= orderTimeoutMs) {
                VoiceEvent event = turn.held.poll().event;
                log.warn("session {} turn {}: {} waited {} ms for its predecessor; released out of order",
                        sessionId, turn.id, typeName(event), orderTimeoutMs);
                openGate(turn, requiredGate(event));
                send(turn, event, nowMs);
                release(turn, nowMs);
            }
            if (turn.audio == AudioState.WAITING && turn.gate < GATE_FINAL
                    && nowMs - turn.firstAudioMs >= orderTimeoutMs) {
                log.warn("session {} turn {}: reply audio waited {} ms for transcript.final; playing it anyway",
                        sessionId, turn.id, orderTimeoutMs);
                openGate(turn, GATE_FINAL);
                release(turn, nowMs);
            }
        }
        pump(nowMs);
    }

    /** True while something is time-dependent: audio to pace, audio waiting, or events held. */
    public boolean needsTick() {
        if (playing != null || !playQueue.isEmpty()) {
            return true;
        }
        for (Turn turn : turns.values()) {
            if (!turn.held.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The agent's voice is reaching the caller (for the {@code vox-agent-speaking} input header). */
    public boolean agentSpeaking(long nowMs) {
        return pacer.audible(nowMs);
    }

    /** The turn whose audio is playing, or null. */
    public String playingTurn() {
        return playing != null ? playing.id : null;
    }

    /** What the caller has heard of the playing turn. */
    public long playedMs(long nowMs) {
        return playing != null ? pacer.playedMs(nowMs) : 0;
    }

    public long droppedAudioChunks() {
        return droppedAudioChunks;
    }

    int heldEvents() {
        return turns.values().stream().mapToInt(turn -> turn.held.size()).sum();
    }

    // ---- ordering

    /** The gate level an ordered event needs, or -1 for events that are never held. */
    private static int requiredGate(VoiceEvent event) {
        if (event instanceof VoiceEvent.SpeechStarted) {
            return GATE_NONE;
        }
        if (event instanceof VoiceEvent.SpeechEnded || event instanceof VoiceEvent.TranscriptInterim) {
            return GATE_SPEECH_STARTED;
        }
        if (event instanceof VoiceEvent.TranscriptFinal fin) {
            return fin.typed() ? GATE_NONE : GATE_SPEECH_ENDED;
        }
        if (event instanceof VoiceEvent.AgentTurn) {
            return GATE_NONE; // the first event of a turn the agent starts
        }
        if (event instanceof VoiceEvent.ReplyDelta || event instanceof VoiceEvent.ReplyDone) {
            return GATE_FINAL;
        }
        return -1;
    }

    private void offer(Turn turn, VoiceEvent event, long nowMs) {
        if (turn.gate >= requiredGate(event)) {
            send(turn, event, nowMs);
            release(turn, nowMs);
        } else {
            log.debug("session {} turn {}: holding early {}", sessionId, turn.id, typeName(event));
            turn.held.add(new Held(event, nowMs));
        }
    }

    /** Sends held events whose predecessor has now been sent, oldest first, until none is ready. */
    private void release(Turn turn, long nowMs) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Iterator<Held> it = turn.held.iterator(); it.hasNext(); ) {
                Held held = it.next();
                if (turn.gate >= requiredGate(held.event)) {
                    it.remove();
                    send(turn, held.event, nowMs);
                    progress = true;
                    break;
                }
            }
        }
    }

    private void send(Turn turn, VoiceEvent event, long nowMs) {
        if (event instanceof VoiceEvent.SpeechStarted) {
            openGate(turn, GATE_SPEECH_STARTED);
        } else if (event instanceof VoiceEvent.SpeechEnded) {
            openGate(turn, GATE_SPEECH_ENDED);
        } else if (event instanceof VoiceEvent.TranscriptFinal fin) {
            if (fin.typed() && fin.text() != null && fin.text().equals(turn.finalText)) {
                return; // the gateway already delivered this typed input itself
            }
            turn.finalText = fin.text();
            openGate(turn, GATE_FINAL);
        } else if (event instanceof VoiceEvent.AgentTurn) {
            openGate(turn, GATE_FINAL); // nothing of the caller's precedes the agent's own turn
        } else if (event instanceof VoiceEvent.ReplyDone done && done.generationId() != null
                && done.generationId().equals(turn.generation)) {
            turn.replyDone = true;
            turn.replyCancelled = done.cancelled();
            turn.lastActivityMs = nowMs;
        }
        out.event(event);
    }

    private static void openGate(Turn turn, int level) {
        turn.gate = Math.max(turn.gate, level);
    }

    // ---- generations

    private static String generationOf(VoiceEvent event) {
        if (event instanceof VoiceEvent.ReplyDelta delta) {
            return delta.generationId();
        }
        if (event instanceof VoiceEvent.ReplyDone done) {
            return done.generationId();
        }
        if (event instanceof VoiceEvent.SynthesisDone done) {
            return done.generationId();
        }
        return null;
    }

    /**
     * Makes {@code generation} the turn's answer if it is new; returns false for a superseded one (whose events
     * and audio are dropped).
     */
    private boolean followGeneration(Turn turn, String generation) {
        if (turn.staleGenerations.contains(generation)) {
            return false;
        }
        if (turn.generation == null) {
            turn.generation = generation;
        } else if (!turn.generation.equals(generation)) {
            supersede(turn, generation);
        }
        return true;
    }

    /** A newer generation answers the turn: forget the earlier one's progress and the audio it has not played. */
    private void supersede(Turn turn, String newGeneration) {
        log.debug("session {} turn {}: generation {} supersedes {}", sessionId, turn.id, newGeneration,
                turn.generation);
        turn.staleGenerations.add(turn.generation);
        turn.generation = newGeneration;
        turn.replyDone = false;
        turn.replyCancelled = false;
        turn.synthesisDone = false;
        turn.synthesisCancelled = false;
        turn.forcedDone = false;
        turn.spoken = new SpokenText();
        turn.enqueuedBytes = 0;
        if (turn == playing) {
            pacer.dropQueued();
            turn.enqueuedBytes = pacer.sentMs() * outputFormat.sampleRate() * 2 / 1000;
        } else if (turn.audio == AudioState.WAITING) {
            turn.waitingAudio.clear();
        } else if (turn.audio == AudioState.DONE || turn.audio == AudioState.SKIPPED) {
            turn.audio = AudioState.NONE; // the earlier answer is over: the new one gets its own audio.start
        }
        out.generationChanged(turn.id);
    }

    // ---- audio

    private void onSynthesisDone(Turn turn, VoiceEvent.SynthesisDone done, long nowMs) {
        turn.synthesisDone = true;
        turn.synthesisCancelled = done.cancelled();
        turn.lastActivityMs = nowMs;
        if (turn.audio == AudioState.WAITING && done.cancelled()) {
            // Cancelled before any of it played: the client gets neither audio.start nor audio.done.
            playQueue.remove(turn);
            turn.waitingAudio.clear();
            turn.audio = AudioState.SKIPPED;
            out.endedWithoutAudio(turn.id);
        } else if (turn.audio == AudioState.NONE) {
            // TTS sends a turn's audio before its synthesis.done on the same partition: there will be none.
            out.endedWithoutAudio(turn.id);
        } else if (turn.audio == AudioState.PLAYING) {
            pacer.flush();
        }
    }

    /** Starts the next ready turn when none plays, sends due frames, and finishes the playing turn when it may. */
    private void pump(long nowMs) {
        while (true) {
            if (playing == null) {
                Turn next = nextReadyTurn();
                if (next == null) {
                    return;
                }
                startPlaying(next, nowMs);
            }
            Turn turn = playing;
            if (pacer.drain(nowMs, frame -> out.audio(turn.id, frame)) > 0) {
                turn.lastActivityMs = nowMs;
            }
            if (!mayFinish(turn, nowMs)) {
                return;
            }
            long sentMs = pacer.sentMs();
            out.event(new VoiceEvent.AudioDone(sessionId, turn.id, sentMs));
            pacer.end();
            turn.audio = AudioState.DONE;
            playing = null;
            stopped(turn, sentMs, false);
        }
    }

    private Turn nextReadyTurn() {
        for (Iterator<Turn> it = playQueue.iterator(); it.hasNext(); ) {
            Turn turn = it.next();
            if (turn.gate >= GATE_FINAL) {
                it.remove();
                return turn;
            }
        }
        return null;
    }

    private void startPlaying(Turn turn, long nowMs) {
        out.event(new VoiceEvent.AudioStart(sessionId, turn.id, outputFormat));
        turn.playbackStarted = true;
        out.playbackStarted(turn.id, turn.generation);
        pacer.begin(turn.id);
        for (byte[] chunk : turn.waitingAudio) {
            pacer.enqueue(chunk, nowMs);
        }
        turn.waitingAudio.clear();
        if (turn.synthesisDone) {
            pacer.flush();
        }
        turn.audio = AudioState.PLAYING;
        turn.lastActivityMs = nowMs;
        playing = turn;
    }

    private void stopped(Turn turn, long playedMs, boolean interrupted) {
        turn.playbackStarted = false;
        long heardMs = turn.clientPlayedMs >= 0 ? Math.min(playedMs, turn.clientPlayedMs) : playedMs;
        long audioMs = turn.enqueuedBytes * 1000 / (outputFormat.sampleRate() * 2L);
        String heard = interrupted ? turn.spoken.heard(heardMs, audioMs) : turn.spoken.all();
        out.playbackStopped(turn.id, turn.generation, audioMs, heardMs, interrupted, heard);
    }

    private boolean mayFinish(Turn turn, long nowMs) {
        if (pacer.paused()) {
            return false;
        }
        boolean complete = turn.synthesisDone && (turn.replyDone || turn.failed || turn.synthesisCancelled);
        if (complete || turn.forcedDone) {
            return !pacer.hasQueued();
        }
        // A stage failed or a record was lost: do not hold the caller (and later turns) forever.
        long idleMs = nowMs - turn.lastActivityMs;
        boolean partlyDone = turn.replyDone || turn.synthesisDone || turn.failed || !playQueue.isEmpty();
        if ((partlyDone && idleMs >= orderTimeoutMs) || idleMs >= STALL_LIMIT_FACTOR * orderTimeoutMs) {
            log.warn("session {} turn {}: no audio for {} ms and reply.done={} synthesis.done={}; ending its audio",
                    sessionId, turn.id, idleMs, turn.replyDone, turn.synthesisDone);
            turn.forcedDone = true;
            pacer.flush();
            pacer.drain(nowMs, frame -> out.audio(turn.id, frame));
            return !pacer.hasQueued();
        }
        return false;
    }

    // ---- bookkeeping

    private Turn turn(String turnId) {
        return turns.computeIfAbsent(turnId, Turn::new);
    }

    private void forgetOldTurns() {
        Iterator<Turn> it = turns.values().iterator();
        while (turns.size() > REMEMBERED_TURNS && it.hasNext()) {
            Turn turn = it.next();
            boolean active = turn == playing || turn.audio == AudioState.WAITING || !turn.held.isEmpty();
            if (!active) {
                it.remove();
            }
        }
    }

    private static String typeName(VoiceEvent event) {
        return dev.voxline.contracts.JsonCodec.typeName(event);
    }

    private record Held(VoiceEvent event, long arrivedMs) {
    }

    private static final class Turn {
        final String id;
        final ArrayDeque<Held> held = new ArrayDeque<>();
        final List<byte[]> waitingAudio = new ArrayList<>();
        /** Generations this turn has moved past (the caller went on after a pause). */
        final java.util.Set<String> staleGenerations = new java.util.HashSet<>();
        /** The generation whose reply and audio answer the turn (the latest one). */
        String generation;
        int gate = GATE_NONE;
        String finalText;
        AudioState audio = AudioState.NONE;
        long firstAudioMs;
        long lastActivityMs;
        boolean replyDone;
        boolean replyCancelled;
        boolean synthesisDone;
        boolean synthesisCancelled;
        boolean failed;
        boolean forcedDone;
        Pcm.Resampler resampler;
        int resamplerFromRate;
        /** Which clause starts where in the turn's audio: for what the caller heard. */
        SpokenText spoken = new SpokenText();
        long enqueuedBytes;
        long clientPlayedMs = -1;
        long pausedAtMs = -1;
        boolean playbackStarted;

        Turn(String id) {
            this.id = id;
        }

        /** Playing, waiting to play, or a reply still being prepared. */
        boolean interruptible() {
            if (audio == AudioState.PLAYING || audio == AudioState.WAITING) {
                return true;
            }
            return audio == AudioState.NONE && gate >= GATE_FINAL && !synthesisDone && !failed
                    && !(replyDone && replyCancelled);
        }

        byte[] toOutputRate(byte[] pcm, int fromRate, int toRate) {
            byte[] whole = pcm.length % 2 == 0 ? pcm : java.util.Arrays.copyOf(pcm, pcm.length - 1);
            if (fromRate <= 0 || fromRate == toRate) {
                return whole;
            }
            if (resampler == null || resamplerFromRate != fromRate) {
                resampler = new Pcm.Resampler(fromRate, toRate);
                resamplerFromRate = fromRate;
            }
            return resampler.process(whole);
        }
    }
}

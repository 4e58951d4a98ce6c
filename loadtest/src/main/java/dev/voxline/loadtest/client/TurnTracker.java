package dev.voxline.loadtest.client;

import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.VoiceEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The client's view of a session's turns, built from the events and reply audio it receives (with their receive
 * instants) and from when it sent its own input ({@link AudioTimeline}, {@link #textInputSent}). It measures the
 * client-side E2E of each turn. Turns are grouped into runs (one {@link TalkRequest} each): a turn belongs to the
 * run during which the client first heard of it. Pure logic, no I/O; thread-safe.
 */
public final class TurnTracker {

    private final AudioTimeline timeline;
    private final Map<String, Turn> turns = new LinkedHashMap<>();
    private final ArrayDeque<Long> textInputs = new ArrayDeque<>();
    private final List<RunError> sessionErrors = new ArrayList<>();
    private String audioTurnId;
    private int run;

    public TurnTracker(AudioTimeline timeline) {
        this.timeline = timeline;
    }

    /** Starts a new run; turns first seen from now on belong to it. */
    public synchronized int beginRun() {
        return ++run;
    }

    /** The client sent {@code text.input} at {@code nanos}; the next typed {@code transcript.final} is its echo. */
    public synchronized void textInputSent(long nanos) {
        textInputs.addLast(nanos);
    }

    public synchronized void onEvent(VoiceEvent event, long nanos) {
        if (event instanceof VoiceEvent.Error error) {
            if (error.turnId() == null) {
                sessionErrors.add(new RunError(run, error));
                return;
            }
            Turn turn = turn(error.turnId());
            turn.errors.add(error);
            if (!turn.audioStarted) {
                turn.endedNanos = nanos;
            }
            return;
        }
        String turnId = event.turnId();
        if (turnId == null) {
            return;
        }
        Turn turn = turn(turnId);
        if (event instanceof VoiceEvent.SpeechEnded ended) {
            turn.speechEndAudioMs = ended.audioMs();
        } else if (event instanceof VoiceEvent.TranscriptFinal fin) {
            turn.finals.add(fin.text());
            if (fin.typed() && !turn.typed) {
                turn.typed = true;
                Long sent = textInputs.pollFirst();
                turn.textSentNanos = sent;
            }
        } else if (event instanceof VoiceEvent.ReplyDelta delta) {
            if (!delta.generationId().equals(turn.deltaGeneration)) {
                turn.deltaGeneration = delta.generationId();
                turn.deltas.setLength(0);
            }
            turn.deltas.append(delta.text());
        } else if (event instanceof VoiceEvent.ReplyDone done) {
            // a cancelled attempt must not hide the reply of a later, complete one
            if (turn.replyDone == null || !done.cancelled() || turn.replyDone.cancelled()) {
                turn.replyDone = done;
            }
            if (done.cancelled() && !turn.audioStarted) {
                turn.endedNanos = nanos;
            }
        } else if (event instanceof VoiceEvent.AudioStart start) {
            audioTurnId = turnId;
            turn.audioStarted = true;
            turn.replySampleRate = start.format() != null ? start.format().sampleRate() : 0;
            turn.endedNanos = null;
        } else if (event instanceof VoiceEvent.AudioDone) {
            turn.audioDone = true;
            turn.endedNanos = nanos;
        } else if (event instanceof VoiceEvent.AudioClear) {
            turn.interrupted = true;
            turn.endedNanos = nanos;
        } else if (event instanceof VoiceEvent.TurnMetrics metrics) {
            turn.metrics = metrics;
        }
    }

    /**
     * A binary reply frame (it belongs to the turn of the last {@code audio.start}). On the turn's first frame,
     * returns the {@code client.latency} message to send, if the turn's clock start is known.
     */
    public synchronized Optional<ClientMessage.ClientLatency> onAudio(byte[] pcm, long nanos) {
        Turn turn = audioTurnId != null ? turns.get(audioTurnId) : null;
        if (turn == null || turn.interrupted) {
            return Optional.empty();
        }
        turn.audio.writeBytes(pcm);
        if (turn.firstAudioNanos != null) {
            return Optional.empty();
        }
        turn.firstAudioNanos = nanos;
        OptionalLong start = clockStart(turn);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        turn.clientE2eMs = (nanos - start.getAsLong()) / 1e6;
        return Optional.of(new ClientMessage.ClientLatency(turn.turnId, turn.clientE2eMs));
    }

    /** Where the turn's clock starts on the client: the end of speech was sent, or text.input was sent. */
    private OptionalLong clockStart(Turn turn) {
        if (turn.typed) {
            return turn.textSentNanos != null ? OptionalLong.of(turn.textSentNanos) : OptionalLong.empty();
        }
        return turn.speechEndAudioMs != null ? timeline.sentNanosAt(turn.speechEndAudioMs) : OptionalLong.empty();
    }

    public synchronized int turnCount(int run) {
        return (int) turns.values().stream().filter(t -> t.run == run).count();
    }

    /**
     * Turns of the run that have not finished: a turn is finished once its {@code turn.metrics} arrived, or
     * {@code metricsWaitNanos} after its audio ended (or it failed without audio) if they never do.
     */
    public synchronized List<String> unfinished(int run, long nowNanos, long metricsWaitNanos) {
        return turns.values().stream()
                .filter(t -> t.run == run && !t.finished(nowNanos, metricsWaitNanos))
                .map(t -> t.turnId)
                .collect(Collectors.toList());
    }

    /** A short account of what the unfinished turns still wait for, for a timeout message. */
    public synchronized String describeUnfinished(int run, long nowNanos, long metricsWaitNanos) {
        return turns.values().stream()
                .filter(t -> t.run == run && !t.finished(nowNanos, metricsWaitNanos))
                .map(t -> t.turnId + " (" + t.waitingFor() + ")")
                .collect(Collectors.joining(", "));
    }

    public synchronized List<TurnResult> results(int run, long nowNanos, long metricsWaitNanos) {
        List<TurnResult> results = new ArrayList<>();
        for (Turn t : turns.values()) {
            if (t.run != run) {
                continue;
            }
            String reply = t.replyDone != null ? t.replyDone.text() : t.deltas.toString();
            results.add(new TurnResult(t.turnId, t.typed, String.join(" ", t.finals), reply, t.clientE2eMs,
                    t.metrics, t.audio.toByteArray(), t.replySampleRate, t.audioDone, t.interrupted,
                    List.copyOf(t.errors), t.ended()));
        }
        return results;
    }

    public synchronized List<VoiceEvent.Error> sessionErrors(int run) {
        return sessionErrors.stream().filter(e -> e.run == run).map(RunError::error).collect(Collectors.toList());
    }

    private Turn turn(String turnId) {
        return turns.computeIfAbsent(turnId, id -> new Turn(id, run));
    }

    private record RunError(int run, VoiceEvent.Error error) {
    }

    private static final class Turn {
        final String turnId;
        final int run;
        final List<String> finals = new ArrayList<>();
        final StringBuilder deltas = new StringBuilder();
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final List<VoiceEvent.Error> errors = new ArrayList<>();
        boolean typed;
        Long textSentNanos;
        Long speechEndAudioMs;
        String deltaGeneration;
        VoiceEvent.ReplyDone replyDone;
        boolean audioStarted;
        int replySampleRate;
        Long firstAudioNanos;
        Double clientE2eMs;
        boolean audioDone;
        boolean interrupted;
        Long endedNanos;
        VoiceEvent.TurnMetrics metrics;

        Turn(String turnId, int run) {
            this.turnId = turnId;
            this.run = run;
        }

        boolean ended() {
            return endedNanos != null || metrics != null;
        }

        boolean finished(long nowNanos, long metricsWaitNanos) {
            return metrics != null || (endedNanos != null && nowNanos - endedNanos >= metricsWaitNanos);
        }

        String waitingFor() {
            if (endedNanos != null) {
                return "no turn.metrics";
            }
            if (audioStarted) {
                return "reply audio not done";
            }
            if (replyDone != null) {
                return "no reply audio";
            }
            return finals.isEmpty() ? "no transcript" : "no reply";
        }
    }
}

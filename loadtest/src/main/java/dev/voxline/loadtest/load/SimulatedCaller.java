package dev.voxline.loadtest.load;

import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.client.NanoClock;
import dev.voxline.loadtest.client.ReceivedEvent;
import dev.voxline.loadtest.client.TalkRequest;
import dev.voxline.loadtest.client.TalkResult;
import dev.voxline.loadtest.client.TalkSession;
import dev.voxline.loadtest.client.TurnResult;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One simulated caller: a session on /v1/talk holding a conversation. It says an utterance at real-time pace,
 * waits for the reply, listens to it at real time, pauses to think and speaks again. The caller's microphone never
 * stops, as a real caller's does not: while the reply plays the session streams silence
 * ({@link TalkSession#keepMicrophoneOpen}), and what is left of the listening and the thinking goes as silence ahead
 * of the next utterance, so the server hears one continuous 50 frames/s stream like a phone call. Reply audio is
 * played through a {@link ReplyPlayback} model per turn.
 * Nothing here blocks: the session's callbacks and the shared scheduler drive it.
 */
final class SimulatedCaller {

    private static final String CLOSED_BY_CLIENT = "the session was closed";
    private static final String CONNECTION_ENDED = "the connection ended";

    private final int index;
    private final LoadSettings settings;
    private final ScheduledExecutorService scheduler;
    private final LoadRecorder recorder;
    private final NanoClock clock;
    private final Random random;
    private final Map<String, ReplyPlayback> playbacks = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile TalkSession session;
    private volatile String audioTurnId;
    private volatile int audioSampleRate;
    private volatile boolean stopping;
    private volatile boolean inRun;
    private int utterance;

    SimulatedCaller(int index, LoadSettings settings, ScheduledExecutorService scheduler, LoadRecorder recorder,
                    NanoClock clock) {
        this.index = index;
        this.settings = settings;
        this.scheduler = scheduler;
        this.recorder = recorder;
        this.clock = clock;
        this.random = new Random(settings.seed() * 31 + index);
        this.utterance = index;
    }

    int index() {
        return index;
    }

    /** Completes when the caller has stopped talking (stopped, dropped, or never connected). */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** No run in progress: the caller can be closed without cutting a turn. */
    boolean idle() {
        return !inRun;
    }

    void start() {
        TalkSession.connectAsync(settings.url(), settings.options(), scheduler).whenComplete((s, error) -> {
            if (error != null) {
                recorder.incident(new LoadRecorder.Incident(clock.nanoTime(), index,
                        LoadRecorder.IncidentKind.CONNECT_FAILED, rootMessage(error)));
                finished.complete(null);
                return;
            }
            session = s;
            s.keepMicrophoneOpen(true);
            recorder.sessionStarted();
            s.onEvent(this::onEvent);
            s.onReplyAudio(this::onReplyFrame);
            if (stopping) {
                end();
                return;
            }
            // a first pause of up to one think time, so callers started together do not speak in unison
            say(Math.round(random.nextDouble() * settings.think().toNanos()));
        });
    }

    /** Says no further utterance; the turn in progress goes on to its end. */
    void stop() {
        stopping = true;
        if (!inRun) {
            end();
        }
    }

    /** Sends session.end and closes the connection (blocks up to about two seconds); a turn in progress is cut. */
    void close() {
        stopping = true;
        TalkSession s = session;
        if (s != null) {
            s.close();
        }
        end();
    }

    private void end() {
        if (finished.complete(null) && session != null) {
            recorder.sessionEnded();
        }
    }

    private void say(long leadingSilenceNanos) {
        if (stopping) {
            end();
            return;
        }
        SpeechAudio phrase = settings.utterances().get(utterance++ % settings.utterances().size());
        SpeechAudio audio = withLeadingSilence(phrase, leadingSilenceNanos);
        TalkRequest request = TalkRequest.audio(audio).withReplyTimeout(settings.replyTimeout())
                .withMetricsWait(settings.metricsWait());
        CompletableFuture<TalkResult> run;
        inRun = true;
        try {
            run = session.runAsync(request);
        } catch (RuntimeException e) {
            inRun = false;
            dropped(e.getMessage());
            return;
        }
        run.whenComplete((result, error) -> {
            inRun = false;
            try {
                if (error != null) {
                    dropped(rootMessage(error));
                } else {
                    onRun(result);
                }
            } catch (RuntimeException e) {
                recorder.incident(new LoadRecorder.Incident(clock.nanoTime(), index, LoadRecorder.IncidentKind.ERROR,
                        "load generator: " + e));
                end();
            }
        });
    }

    private void onRun(TalkResult result) {
        long now = clock.nanoTime();
        String problem = result.problem();
        boolean cutByUs = stopping && problem != null && problem.startsWith(CLOSED_BY_CLIENT);
        long heardUntil = now;
        for (TurnResult turn : result.turns()) {
            ReplyPlayback playback = playbacks.remove(turn.turnId());
            int underruns = 0;
            double gapMs = 0;
            if (playback != null) {
                synchronized (playback) {
                    underruns = playback.underruns();
                    gapMs = playback.gapMs();
                    heardUntil = Math.max(heardUntil, playback.endNanos());
                }
            }
            boolean replied = turn.clientE2eMs() != null || turn.replyAudio().length > 0;
            if (cutByUs && !replied) {
                continue; // the run's end cut this turn: not the server's failure
            }
            recorder.turn(new TurnRecord(index, now, turn.clientE2eMs(), turn.metrics(), underruns, gapMs,
                    turn.replyAudioMs(), replied, turn.errors().size()));
            for (VoiceEvent.Error e : turn.errors()) {
                error(e.code() + ": " + e.message());
            }
        }
        for (VoiceEvent.Error e : result.sessionErrors()) {
            error(e.code() + ": " + e.message());
        }
        if (problem != null && !cutByUs) {
            if (problem.startsWith(CONNECTION_ENDED)) {
                dropped(problem);
                return;
            }
            if (result.turns().isEmpty()) {
                recorder.turn(new TurnRecord(index, now, null, null, 0, 0, 0, false, 0));
            }
            error(problem);
        }
        if (stopping) {
            end();
            return;
        }
        long thinkNanos = Math.round(settings.think().toNanos() * (0.5 + random.nextDouble()));
        say(Math.max(0, heardUntil - clock.nanoTime()) + thinkNanos);
    }

    private void onEvent(ReceivedEvent received) {
        VoiceEvent event = received.event();
        if (event instanceof VoiceEvent.AudioStart start) {
            audioTurnId = start.turnId();
            audioSampleRate = start.format() != null ? start.format().sampleRate() : 0;
            playbacks.put(start.turnId(), new ReplyPlayback(settings.jitterBuffer().toNanos()));
        } else if (event instanceof VoiceEvent.AudioClear clear) {
            // an interrupted reply is not played on: what was cleared cannot run dry
            if (clear.turnId() != null && clear.turnId().equals(audioTurnId)) {
                audioTurnId = null;
            }
        }
    }

    private void onReplyFrame(int bytes, long nanos) {
        String turnId = audioTurnId;
        ReplyPlayback playback = turnId != null ? playbacks.get(turnId) : null;
        if (playback != null) {
            synchronized (playback) {
                playback.frame(nanos, bytes, audioSampleRate);
            }
        }
    }

    private void dropped(String why) {
        recorder.incident(new LoadRecorder.Incident(clock.nanoTime(), index, LoadRecorder.IncidentKind.DROPPED,
                why));
        stopping = true; // the generator closes what is left of the session when it stops
        end();
    }

    private void error(String message) {
        recorder.incident(new LoadRecorder.Incident(clock.nanoTime(), index, LoadRecorder.IncidentKind.ERROR,
                message));
    }

    private static SpeechAudio withLeadingSilence(SpeechAudio phrase, long silenceNanos) {
        long samples = silenceNanos * SpeechAudio.SAMPLE_RATE / 1_000_000_000L;
        if (samples <= 0) {
            return phrase;
        }
        byte[] pcm = new byte[(int) (samples * 2) + phrase.pcm().length];
        System.arraycopy(phrase.pcm(), 0, pcm, (int) (samples * 2), phrase.pcm().length);
        return new SpeechAudio(pcm, phrase.source());
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.util.concurrent.CompletionException
                || root instanceof java.util.concurrent.ExecutionException)) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}

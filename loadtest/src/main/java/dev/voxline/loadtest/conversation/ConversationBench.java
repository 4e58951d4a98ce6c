package dev.voxline.loadtest.conversation;

import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.loadtest.audio.SpeechAudio;
import dev.voxline.loadtest.client.OpenMicCall;
import dev.voxline.loadtest.client.ReceivedEvent;
import dev.voxline.loadtest.client.TalkException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The conversation benchmark's scenarios, each a real call on {@code /v1/talk} with an open microphone
 * ({@link OpenMicCall}): how the agent takes turns, measured from what the caller receives.
 *
 * <ul>
 *   <li>{@link #listen}: one utterance (possibly with pauses mid-sentence) in a fresh session; did the agent start
 *       answering before the caller's last word (a premature reply), and the answer's eou_delay and e2e;</li>
 *   <li>{@link #bargeIn}: a question, then, while the long answer plays, the next question spoken over it;</li>
 *   <li>{@link #disturb}: a noise, a backchannel or the agent's own echo while it speaks: did it stop?</li>
 * </ul>
 *
 * A reply that is not needed in full is ended with the client's {@code interrupt}, so a run takes minutes, not the
 * built-in assistant's ten seconds per reply.
 */
public final class ConversationBench {

    static final Duration CONNECT = Duration.ofSeconds(10);
    /** After the utterance: the longest endpointing wait (3 s), a slow final transcript and the reply's start. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
    static final Duration METRICS_WAIT = Duration.ofSeconds(12);
    /** Longer than the false-interruption timeout (2 s) after a disturbance of up to a second. */
    static final Duration OBSERVE = Duration.ofMillis(4_500);

    private final URI url;
    private final SessionConfig.Engines engines;
    private final SessionConfig.Simulation simulation;
    private final String profile;
    private final Consumer<String> eventPrinter;

    public ConversationBench(URI url, SessionConfig.Engines engines, SessionConfig.Simulation simulation,
                             String profile, Consumer<String> eventPrinter) {
        this.url = url;
        this.engines = engines;
        this.simulation = simulation;
        this.profile = profile;
        this.eventPrinter = eventPrinter;
    }

    // ---- one utterance, one answer

    /** What happened to one utterance: {@code premature} when a reply began before its last voiced frame was sent. */
    public record Listened(SpokenItem item, String mode, boolean premature, int answeredTurns, Double eouDelay,
                           Double e2e, Double clientE2e, String heard, String problem) {
        boolean measured() {
            return problem == null;
        }
    }

    /** Says {@code item} in a new session with {@code turnTaking}, then waits for the answer to its last words. */
    public Listened listen(SpokenItem item, String mode, SessionConfig.TurnTaking turnTaking) {
        try (OpenMicCall call = connect(turnTaking)) {
            int mark = call.mark();
            OpenMicCall.Said said = call.say(item.pcm()).get(item.durationMs() + 5_000, TimeUnit.MILLISECONDS);
            long lastVoicedNanos = said.firstFrameNanos() + TimeUnit.MILLISECONDS.toNanos(item.lastVoicedMs());
            // the answer: the first reply audio that starts after the last word
            Optional<ReceivedEvent> answer = call.await(e -> e.event() instanceof VoiceEvent.AudioStart
                    && e.nanos() > lastVoicedNanos, mark, ANSWER_WAIT);
            List<ReceivedEvent> events = call.events().subList(mark, call.mark());
            boolean premature = events.stream().anyMatch(e -> e.nanos() < lastVoicedNanos
                    && (e.event() instanceof VoiceEvent.AudioStart || e.event() instanceof VoiceEvent.ReplyDelta));
            if (answer.isEmpty()) {
                printEvents(call, mark, said.firstFrameNanos());
                return new Listened(item, mode, premature, answeredTurns(call, mark), null, null, null,
                        finals(call, mark), "no answer within " + ANSWER_WAIT.toSeconds() + " s of the last word");
            }
            String turnId = answer.get().event().turnId();
            call.send(new ClientMessage.Interrupt(turnId));
            Optional<VoiceEvent.TurnMetrics> report = call.await(e -> e.event() instanceof VoiceEvent.TurnMetrics
                    && turnId.equals(e.event().turnId()), mark, METRICS_WAIT)
                    .map(e -> (VoiceEvent.TurnMetrics) e.event());
            double clientE2e = (answer.get().nanos() - lastVoicedNanos) / 1e6;
            printEvents(call, mark, said.firstFrameNanos());
            int answered = answeredTurns(call, mark);
            String heard = finals(call, mark);
            return new Listened(item, mode, premature, answered, report.map(VoiceEvent.TurnMetrics::eouDelay)
                    .orElse(null), report.map(VoiceEvent.TurnMetrics::e2e).orElse(null), clientE2e, heard,
                    report.isEmpty() ? "no turn.metrics for the answer" : null);
        } catch (TalkException | ExecutionException | TimeoutException e) {
            return new Listened(item, mode, false, 0, null, null, null, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Listened(item, mode, false, 0, null, null, null, "", "interrupted");
        }
    }

    private static int answeredTurns(OpenMicCall call, int from) {
        Set<String> turns = new LinkedHashSet<>();
        for (ReceivedEvent e : call.events().subList(from, call.mark())) {
            if (e.event() instanceof VoiceEvent.AudioStart) {
                turns.add(e.event().turnId());
            }
        }
        return turns.size();
    }

    // ---- barge-in

    /**
     * One barge-in: {@code stopDelayMs} is the server's (detection → the agent's last audio byte to the socket),
     * {@code speechToPauseMs} the caller's view (its first interrupting frame sent → {@code audio.paused}), and
     * {@code answerE2e} the interrupting question's own e2e.
     */
    public record BargeIn(int round, long offsetMs, boolean stopped, Double stopDelayMs, Double speechToPauseMs,
                          boolean answered, Double answerE2e, String heard, String problem) {
    }

    /**
     * Asks {@code question}; {@code offsetMs} after its answer's audio starts, says {@code interrupter} over it.
     * The call is reused across rounds, as in a real conversation.
     */
    public BargeIn bargeIn(OpenMicCall call, int round, SpokenItem question, SpokenItem interrupter, long offsetMs) {
        try {
            Optional<ReceivedEvent> reply = ask(call, question);
            if (reply.isEmpty()) {
                return new BargeIn(round, offsetMs, false, null, null, false, null, "", "no answer to the question");
            }
            String agentTurn = reply.get().event().turnId();
            Thread.sleep(offsetMs);
            int mark = call.mark();
            OpenMicCall.Said said = call.say(interrupter.pcm()).get(interrupter.durationMs() + 5_000,
                    TimeUnit.MILLISECONDS);
            Optional<ReceivedEvent> paused = call.await(e -> e.event() instanceof VoiceEvent.AudioPaused
                    && agentTurn.equals(e.event().turnId()), mark, ANSWER_WAIT);
            Optional<VoiceEvent.InterruptionMetrics> stop = call.await(e -> e.event()
                            instanceof VoiceEvent.InterruptionMetrics m && agentTurn.equals(m.turnId()), mark,
                    ANSWER_WAIT).map(e -> (VoiceEvent.InterruptionMetrics) e.event());
            Optional<ReceivedEvent> answer = call.await(e -> e.event() instanceof VoiceEvent.AudioStart
                    && !agentTurn.equals(e.event().turnId()), mark, ANSWER_WAIT);
            Double answerE2e = null;
            if (answer.isPresent()) {
                String answerTurn = answer.get().event().turnId();
                call.send(new ClientMessage.Interrupt(answerTurn));
                answerE2e = call.await(e -> e.event() instanceof VoiceEvent.TurnMetrics
                                && answerTurn.equals(e.event().turnId()), mark, METRICS_WAIT)
                        .map(e -> ((VoiceEvent.TurnMetrics) e.event()).e2e()).orElse(null);
            } else {
                call.send(new ClientMessage.Interrupt(null));
            }
            String heard = finals(call, mark);
            printEvents(call, mark, said.firstFrameNanos());
            Double speechToPause = paused.map(p -> (p.nanos() - said.firstFrameNanos()) / 1e6).orElse(null);
            settle();
            return new BargeIn(round, offsetMs, stop.isPresent(), stop.map(VoiceEvent.InterruptionMetrics::stopDelayMs)
                    .orElse(null), speechToPause, answer.isPresent(), answerE2e, heard,
                    stop.isEmpty() ? "the agent was not stopped" : answer.isEmpty() ? "the interrupting question "
                            + "was not answered" : null);
        } catch (ExecutionException | TimeoutException e) {
            return new BargeIn(round, offsetMs, false, null, null, false, null, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new BargeIn(round, offsetMs, false, null, null, false, null, "", "interrupted");
        }
    }

    // ---- disturbances that must not stop the agent

    /** A noise, a backchannel or the agent's own echo while it speaks; {@code stopped}: a false barge-in. */
    public record Disturbed(String kind, String name, boolean paused, boolean resumed, boolean stopped, String heard,
                            String problem) {
    }

    /** What disturbs the agent: speech-like audio said over it, or its own echo ({@code echo} non-null). */
    public record Disturbance(String kind, SpokenItem audio, OpenMicCall.Echo echo) {
        String name() {
            return audio != null ? audio.name() : String.format(java.util.Locale.ROOT, "%+.0f dB, %d ms",
                    echo.gainDb(), echo.delayMs());
        }
    }

    /** Asks {@code question}; 1.5 s into the answer's audio, the disturbance; watches the agent for a while. */
    public Disturbed disturb(OpenMicCall call, SpokenItem question, Disturbance disturbance) {
        try {
            Optional<ReceivedEvent> reply = ask(call, question);
            if (reply.isEmpty()) {
                return new Disturbed(disturbance.kind(), disturbance.name(), false, false, false, "",
                        "no answer to the question");
            }
            String agentTurn = reply.get().event().turnId();
            int mark = call.mark();
            if (disturbance.echo() != null) {
                call.echo(disturbance.echo()); // from the first reply frame on, as a speakerphone would
            } else {
                Thread.sleep(1_500);
                call.say(disturbance.audio().pcm());
            }
            Thread.sleep(OBSERVE.toMillis());
            call.echo(null);
            List<ReceivedEvent> events = call.events().subList(mark, call.mark());
            Predicate<ReceivedEvent> ofAgent = e -> agentTurn.equals(e.event().turnId());
            boolean paused = events.stream().anyMatch(ofAgent.and(e -> e.event() instanceof VoiceEvent.AudioPaused));
            boolean resumed = events.stream().anyMatch(ofAgent.and(e -> e.event() instanceof VoiceEvent.AudioResumed));
            boolean stopped = events.stream().anyMatch(ofAgent.and(e -> e.event() instanceof VoiceEvent.AudioClear));
            String heard = finals(call, mark);
            call.send(new ClientMessage.Interrupt(null));
            settle();
            return new Disturbed(disturbance.kind(), disturbance.name(), paused, resumed, stopped, heard, null);
        } catch (ExecutionException | TimeoutException e) {
            return new Disturbed(disturbance.kind(), disturbance.name(), false, false, false, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Disturbed(disturbance.kind(), disturbance.name(), false, false, false, "", "interrupted");
        }
    }

    /** A noise burst: white noise at {@code dbfs} with a fast attack and an exponential decay (a cough, a knock). */
    public static SpokenItem noiseBurst(String name, int durationMs, double dbfs, long seed) {
        int samples = SpeechAudio.SAMPLE_RATE * durationMs / 1000;
        int padding = SpeechAudio.SAMPLE_RATE / 10;
        short[] pcm = new short[samples + 2 * padding];
        Random random = new Random(seed);
        double peak = Short.MAX_VALUE * Math.pow(10, dbfs / 20) * Math.sqrt(3);
        for (int i = 0; i < samples; i++) {
            double envelope = Math.min(1, i / (0.005 * SpeechAudio.SAMPLE_RATE)) * Math.exp(-3.0 * i / samples);
            pcm[padding + i] = (short) Math.round((random.nextDouble() * 2 - 1) * peak * envelope);
        }
        return new SpokenItem(name, "", Pcm.toBytes(pcm), SpokenItem.SYNTHETIC);
    }

    // ---- shared steps

    /** A call with this benchmark's engines and profile and the given turn-taking settings. */
    public OpenMicCall connect(SessionConfig.TurnTaking turnTaking) {
        return OpenMicCall.connect(url, new ClientMessage.SessionStart(SpeechAudio.SAMPLE_RATE,
                SpeechAudio.SAMPLE_RATE, profile, engines, null, simulation, turnTaking, null), CONNECT);
    }

    /** Says {@code question} and waits for its answer's audio to start. */
    private static Optional<ReceivedEvent> ask(OpenMicCall call, SpokenItem question)
            throws InterruptedException, ExecutionException, TimeoutException {
        int mark = call.mark();
        call.say(question.pcm()).get(question.durationMs() + 5_000, TimeUnit.MILLISECONDS);
        return call.await(e -> e.event() instanceof VoiceEvent.AudioStart, mark, ANSWER_WAIT);
    }

    /** Lets the stopped reply's last events arrive before the next round. */
    private static void settle() throws InterruptedException {
        Thread.sleep(800);
    }

    private static String finals(OpenMicCall call, int from) {
        List<String> texts = new ArrayList<>();
        for (ReceivedEvent e : call.events().subList(from, call.mark())) {
            if (e.event() instanceof VoiceEvent.TranscriptFinal t && !t.text().isBlank()) {
                texts.add(t.text());
            }
        }
        return String.join(" | ", texts);
    }

    /** With an event printer: each event since {@code from}, its time from {@code zeroNanos}, type and turn. */
    private void printEvents(OpenMicCall call, int from, long zeroNanos) {
        if (eventPrinter == null) {
            return;
        }
        for (ReceivedEvent e : call.events().subList(from, call.mark())) {
            if (e.event() instanceof VoiceEvent.ReplyDelta) {
                continue; // one per token: reply.done has the text
            }
            String detail = e.event() instanceof VoiceEvent.TranscriptFinal t ? " \"" + t.text() + "\""
                    : e.event() instanceof VoiceEvent.TranscriptInterim t ? " \"" + t.text() + "\""
                    : e.event() instanceof VoiceEvent.ReplyDone d ? " \"" + d.text() + "\"" : "";
            eventPrinter.accept(String.format(java.util.Locale.ROOT, "      %+8.0f ms %-22s %s%s",
                    (e.nanos() - zeroNanos) / 1e6, dev.voxline.contracts.JsonCodec.typeName(e.event()), e.event().turnId(), detail));
        }
    }
}

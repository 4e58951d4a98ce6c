package dev.voxline.metrics.report;

import dev.voxline.contracts.Bounded;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Assembles one {@link VoiceEvent.TurnMetrics} per (sessionId, turnId) from the typed metric events every stage
 * publishes on voice.metrics (docs/metrics.md). Pure logic: no I/O, time only from the injected {@link Clock}.
 *
 * <p>A turn is <b>complete</b> when the gateway has reported it and every stage that takes part has too (voice:
 * vad, stt, eou, llm, tts; typed: eou, llm, tts). TTS is not waited for when the gateway played no audio, and a
 * turn the gateway ended without audio and without any llm/tts metrics is complete at once. Otherwise the turn is
 * reported by {@link #expire()} {@code timeout} after its first metric event, with the missing fields null and a
 * {@code reason}. The deadline is pushed back by the reply's audio duration once TTS reports it, because the
 * gateway reports only when playback of that audio ends: a long reply is not a stalled turn.
 *
 * <p>Memory is bounded: beyond {@code maxOpenTurns} the oldest open turn is reported as dropped; the keys of
 * reported turns are remembered (up to {@code rememberedTurns}) so a metric event arriving after its turn's report
 * is ignored and counted ({@link #lateEvents()}) instead of opening a turn that could only time out.
 *
 * <p>Thread-safe (every public method is synchronized: the ingest thread and the timeout task share it; the
 * work per call is small).
 */
public final class TurnReportAssembler {

    /** The stages as named in a report's {@code reason}. */
    static final String VAD = "vad";
    static final String STT = "stt";
    static final String EOU = "eou";
    static final String LLM = "llm";
    static final String TTS = "tts";
    static final String GATEWAY = "gateway";

    private final Clock clock;
    private final long timeoutMs;
    private final int maxOpenTurns;
    private final Map<TurnKey, OpenTurn> open = new LinkedHashMap<>(); // oldest first
    private final Map<TurnKey, Boolean> reported;
    private long lateEvents;
    private long droppedTurns;
    private long timedOutTurns;

    public TurnReportAssembler(Clock clock, Duration timeout, int maxOpenTurns, int rememberedTurns) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("turn timeout must be positive: " + timeout);
        }
        if (maxOpenTurns < 1 || rememberedTurns < 1) {
            throw new IllegalArgumentException("maxOpenTurns and rememberedTurns must be at least 1");
        }
        this.clock = clock;
        this.timeoutMs = timeout.toMillis();
        this.maxOpenTurns = maxOpenTurns;
        this.reported = Bounded.newestEntries(rememberedTurns);
    }

    /** True for the metric events a turn report is assembled from. */
    public static boolean isTurnMetric(VoiceEvent event) {
        return event instanceof VoiceEvent.VadMetrics || event instanceof VoiceEvent.SttMetrics
                || event instanceof VoiceEvent.EouMetrics || event instanceof VoiceEvent.LlmMetrics
                || event instanceof VoiceEvent.TtsMetrics || event instanceof VoiceEvent.GatewayTurnMetrics;
    }

    /**
     * Adds one metric event; returns the reports it finished: the turn it completes, and an older turn dropped to
     * make room for a new one. Events that are not turn metrics, or have no turn, are ignored.
     *
     * @param downlinkPartition the {@code vox-downlink} header of the event's record, -1 if absent
     */
    public synchronized List<TurnReport> accept(VoiceEvent event, int downlinkPartition) {
        return accept(event, downlinkPartition, null);
    }

    /**
     * {@link #accept(VoiceEvent, int)} with the {@code traceparent} of the event's record (null if none): the
     * report carries the turn's trace id, and goes to the client in the turn's trace.
     */
    public synchronized List<TurnReport> accept(VoiceEvent event, int downlinkPartition, String traceparent) {
        if (!isTurnMetric(event) || event.sessionId() == null || event.turnId() == null) {
            return List.of();
        }
        TurnKey key = new TurnKey(event.sessionId(), event.turnId());
        if (reported.containsKey(key)) {
            lateEvents++;
            return List.of();
        }
        long now = clock.millis();
        List<TurnReport> finished = new ArrayList<>(2);
        OpenTurn turn = open.get(key);
        if (turn == null) {
            if (open.size() >= maxOpenTurns) {
                Iterator<OpenTurn> oldest = open.values().iterator();
                OpenTurn dropped = oldest.next();
                oldest.remove();
                droppedTurns++;
                finished.add(finish(dropped, now, "dropped after " + (now - dropped.firstEventMs)
                        + " ms (more than " + maxOpenTurns + " turns open)" + missingSuffix(dropped)));
            }
            turn = new OpenTurn(key, now);
            open.put(key, turn);
        }
        turn.add(event, downlinkPartition);
        if (traceparent != null && (turn.traceparent == null || event instanceof VoiceEvent.GatewayTurnMetrics)) {
            turn.traceparent = traceparent; // the gateway's is the last span of the turn: the report follows it
        }
        if (turn.isComplete()) {
            open.remove(key);
            finished.add(finish(turn, now, turn.completeReason()));
        }
        return finished;
    }

    /** Reports every open turn whose deadline has passed, oldest first. */
    public synchronized List<TurnReport> expire() {
        if (open.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<TurnReport> finished = new ArrayList<>();
        Iterator<OpenTurn> turns = open.values().iterator();
        while (turns.hasNext()) {
            OpenTurn turn = turns.next();
            long deadline = turn.deadlineMs(timeoutMs);
            if (now >= deadline) {
                turns.remove();
                timedOutTurns++;
                finished.add(finish(turn, now, "incomplete after " + (deadline - turn.firstEventMs) + " ms"
                        + missingSuffix(turn)));
            }
        }
        return finished;
    }

    /** Metric events ignored because their turn had already been reported. */
    public synchronized long lateEvents() {
        return lateEvents;
    }

    /** Open turns reported early to keep memory bounded. */
    public synchronized long droppedTurns() {
        return droppedTurns;
    }

    /** Turns reported incomplete after their timeout. */
    public synchronized long timedOutTurns() {
        return timedOutTurns;
    }

    public synchronized int openTurns() {
        return open.size();
    }

    private TurnReport finish(OpenTurn turn, long now, String reason) {
        reported.put(turn.key, Boolean.TRUE);
        return new TurnReport(turn.report(now, reason),
                new SessionRoute(turn.key.sessionId(), turn.downlinkPartition, turn.traceparent), turn.typed());
    }

    private static String missingSuffix(OpenTurn turn) {
        List<String> missing = turn.missingStages(true);
        return missing.isEmpty() ? "" : ": no metrics from " + String.join(", ", missing);
    }

    private record TurnKey(String sessionId, String turnId) {
    }

    /** What has arrived for one turn so far. Multiple events of a stage: the last one describes the turn. */
    private static final class OpenTurn {

        final TurnKey key;
        final long firstEventMs;
        int downlinkPartition = -1;
        String traceparent;
        VoiceEvent.VadMetrics vad;
        VoiceEvent.SttMetrics stt;
        VoiceEvent.EouMetrics eou;
        final Map<String, VoiceEvent.LlmMetrics> llm = new LinkedHashMap<>(); // by generationId, arrival order
        final Map<String, VoiceEvent.TtsMetrics> tts = new LinkedHashMap<>();
        VoiceEvent.TtsMetrics lastTts;
        VoiceEvent.GatewayTurnMetrics gateway;

        OpenTurn(TurnKey key, long firstEventMs) {
            this.key = key;
            this.firstEventMs = firstEventMs;
        }

        void add(VoiceEvent event, int partition) {
            if (partition >= 0) {
                downlinkPartition = partition;
            }
            // A pause that does not end the turn yields another vad/stt/eou event: the last one is the utterance
            // the reply answers (its hops are on the critical path).
            if (event instanceof VoiceEvent.VadMetrics v) {
                vad = v;
            } else if (event instanceof VoiceEvent.SttMetrics s) {
                stt = s;
            } else if (event instanceof VoiceEvent.EouMetrics e) {
                eou = e;
            } else if (event instanceof VoiceEvent.LlmMetrics l) {
                llm.remove(l.generationId());
                llm.put(l.generationId(), l);
            } else if (event instanceof VoiceEvent.TtsMetrics t) {
                tts.put(t.generationId(), t);
                lastTts = t;
            } else if (event instanceof VoiceEvent.GatewayTurnMetrics g) {
                gateway = g;
            }
        }

        /** Typed when the gateway or llm says so; voice when vad or stt took part; voice until told otherwise. */
        boolean typed() {
            if (gateway != null) {
                return gateway.typed();
            }
            if (eou != null) {
                return eou.typed();
            }
            return false;
        }

        boolean noAudio() {
            return gateway != null && gateway.e2eMs() == null;
        }

        /** The generation the report describes: the last one not cancelled, else the last one. */
        VoiceEvent.LlmMetrics chosenLlm() {
            VoiceEvent.LlmMetrics last = null;
            VoiceEvent.LlmMetrics lastLive = null;
            for (VoiceEvent.LlmMetrics metrics : llm.values()) {
                last = metrics;
                if (!metrics.cancelled()) {
                    lastLive = metrics;
                }
            }
            return lastLive != null ? lastLive : last;
        }

        VoiceEvent.TtsMetrics chosenTts() {
            VoiceEvent.LlmMetrics generation = chosenLlm();
            return generation == null ? lastTts : tts.get(generation.generationId());
        }

        /**
         * The stages whose metrics the report still lacks. {@code strict}: list tts even where completion does not
         * wait for it (a turn without audio), for the reason of a timed-out or dropped report.
         */
        List<String> missingStages(boolean strict) {
            List<String> missing = new ArrayList<>(6);
            boolean voice = vad != null || stt != null || !typed();
            if (voice && vad == null) {
                missing.add(VAD);
            }
            if (voice && stt == null) {
                missing.add(STT);
            }
            if (eou == null) {
                missing.add(EOU);
            }
            if (llm.isEmpty()) {
                missing.add(LLM);
            }
            if (chosenTts() == null && (strict || !noAudio())) {
                missing.add(TTS);
            }
            if (gateway == null) {
                missing.add(GATEWAY);
            }
            return missing;
        }

        boolean isComplete() {
            if (gateway == null) {
                return false;
            }
            if (noAudio() && llm.isEmpty() && lastTts == null) {
                return true; // the turn ended before any reply was produced: nothing more will come
            }
            return missingStages(false).isEmpty();
        }

        /** The reason of a report completed by its events (null when there is nothing to explain). */
        String completeReason() {
            List<String> missing = missingStages(false);
            StringJoiner reason = new StringJoiner("; ");
            if (noAudio()) {
                reason.add("no reply audio" + (gateway.interrupted() ? " (interrupted)" : ""));
            }
            if (!missing.isEmpty()) {
                reason.add("no metrics from " + String.join(", ", missing));
            }
            List<String> noHop = missingHops();
            if (missing.isEmpty() && !noAudio() && !noHop.isEmpty()) {
                reason.add("transport unknown: no hop time from " + String.join(", ", noHop));
            }
            return reason.length() == 0 ? null : reason.toString();
        }

        /** Stages present whose hop into them is unknown (-1), on this turn's critical path. */
        List<String> missingHops() {
            List<String> missing = new ArrayList<>();
            VoiceEvent.TtsMetrics chosenTts = chosenTts();
            if (!typed()) {
                if (vad != null && vad.hopMs() < 0) {
                    missing.add(VAD);
                }
                if (stt != null && stt.hopMs() < 0) {
                    missing.add(STT);
                }
            }
            if (eou != null && eou.hopMs() < 0) {
                missing.add(EOU);
            }
            if (chosenTts != null && chosenTts.hopMs() < 0) {
                missing.add(TTS);
            }
            if (gateway != null && gateway.hopMs() < 0) {
                missing.add(GATEWAY);
            }
            return missing;
        }

        /**
         * The critical path's hop delays (voice: gateway → vad, vad → stt, stt → llm, llm → tts, tts → gateway;
         * typed: the last three), each null when unknown; null when the turn reported none of them.
         */
        VoiceEvent.TurnMetrics.Hops hops(VoiceEvent.TtsMetrics chosenTts) {
            boolean voice = !typed();
            VoiceEvent.TurnMetrics.Hops hops = new VoiceEvent.TurnMetrics.Hops(
                    voice && vad != null ? known(vad.hopMs()) : null,
                    voice && stt != null ? known(stt.hopMs()) : null,
                    eou == null ? null : known(eou.hopMs()),
                    chosenTts == null ? null : known(chosenTts.hopMs()),
                    gateway == null ? null : known(gateway.hopMs()));
            boolean none = hops.gatewayVad() == null && hops.vadStt() == null && hops.sttLlm() == null
                    && hops.llmTts() == null && hops.ttsGateway() == null;
            return none ? null : hops;
        }

        /** The sum of the critical path's hops, null if any of them is unknown. */
        static Double transport(VoiceEvent.TurnMetrics.Hops hops, boolean typed) {
            if (hops == null) {
                return null;
            }
            List<Double> path = new ArrayList<>(5);
            if (!typed) {
                path.add(hops.gatewayVad());
                path.add(hops.vadStt());
            }
            path.add(hops.sttLlm());
            path.add(hops.llmTts());
            path.add(hops.ttsGateway());
            double sum = 0;
            for (Double hop : path) {
                if (hop == null) {
                    return null;
                }
                sum += hop;
            }
            return sum;
        }

        private static Double known(double hopMs) {
            return hopMs < 0 || Double.isNaN(hopMs) ? null : hopMs;
        }

        long deadlineMs(long timeoutMs) {
            long deadline = firstEventMs + timeoutMs;
            VoiceEvent.TtsMetrics chosenTts = chosenTts();
            VoiceEvent.TtsMetrics withAudio = chosenTts != null ? chosenTts : lastTts;
            if (withAudio != null && withAudio.audioDurationMs() > 0) {
                deadline += (long) Math.ceil(withAudio.audioDurationMs());
            }
            return deadline;
        }

        VoiceEvent.TurnMetrics report(long nowMs, String reason) {
            VoiceEvent.LlmMetrics generation = chosenLlm();
            VoiceEvent.TtsMetrics speech = chosenTts();
            boolean cancelled = (generation != null && generation.cancelled()) || (speech != null && speech.cancelled());
            VoiceEvent.TurnMetrics.Hops hops = hops(speech);
            return new VoiceEvent.TurnMetrics(VoiceEvent.SCHEMA_VERSION, nowMs, key.sessionId(), key.turnId(),
                    eou == null ? null : eou.endOfUtteranceDelayMs(),
                    eou == null ? null : eou.transcriptionDelayMs(),
                    stt == null ? null : stt.durationMs(),
                    stt == null ? null : stt.audioDurationMs(),
                    stt == null ? null : stt.rtf(),
                    generation == null ? null : generation.ttftMs(),
                    generation == null ? null : generation.firstClauseDelayMs(),
                    generation == null ? null : generation.durationMs(),
                    generation == null ? null : generation.promptTokens(),
                    generation == null ? null : generation.completionTokens(),
                    generation == null ? null : generation.tokensPerSecond(),
                    speech == null ? null : speech.ttfbMs(),
                    speech == null ? null : speech.durationMs(),
                    speech == null ? null : speech.audioDurationMs(),
                    speech == null ? null : speech.charactersCount(),
                    transport(hops, typed()),
                    gateway == null ? null : gateway.e2eMs(),
                    gateway != null && gateway.interrupted(),
                    cancelled,
                    VoiceTracing.traceId(traceparent),
                    reason,
                    vad == null ? null : vad.inferenceDurationTotalMs() / Math.max(1, vad.inferenceCount()),
                    vad == null ? null : vad.inferenceCount(),
                    stt == null ? null : stt.engine(),
                    generation == null ? null : generation.engine(),
                    generation == null ? null : generation.provider(),
                    generation == null ? null : generation.model(),
                    speech == null ? null : speech.engine(),
                    speech == null ? null : speech.voice(),
                    hops,
                    gateway != null && gateway.synthetic() ? Boolean.TRUE : null);
        }
    }
}

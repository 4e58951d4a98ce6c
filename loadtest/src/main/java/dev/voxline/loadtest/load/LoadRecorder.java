package dev.voxline.loadtest.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the simulated callers measured, with when it happened, so a whole run or one window of it (a capacity
 * step) can be summarized. Thread-safe: callers record from socket and scheduler threads.
 */
public final class LoadRecorder {

    /** Something that went wrong outside a turn's figures. */
    public enum IncidentKind { ERROR, DROPPED, CONNECT_FAILED }

    public record Incident(long nanos, int session, IncidentKind kind, String message) {
    }

    private final List<TurnRecord> turns = new ArrayList<>();
    private final List<Incident> incidents = new ArrayList<>();
    private int active;
    private int started;

    public synchronized void turn(TurnRecord turn) {
        turns.add(turn);
    }

    public synchronized void incident(Incident incident) {
        incidents.add(incident);
    }

    public synchronized void sessionStarted() {
        started++;
        active++;
    }

    public synchronized void sessionEnded() {
        active--;
    }

    public synchronized int activeSessions() {
        return active;
    }

    public synchronized int startedSessions() {
        return started;
    }

    /** Everything so far. */
    public Window all() {
        return window(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Turns recorded and incidents that happened in {@code [fromNanos, toNanos)}. */
    public synchronized Window window(long fromNanos, long toNanos) {
        List<TurnRecord> inTurns = new ArrayList<>();
        for (TurnRecord t : turns) {
            if (t.endNanos() >= fromNanos && t.endNanos() < toNanos) {
                inTurns.add(t);
            }
        }
        List<Incident> inIncidents = new ArrayList<>();
        for (Incident i : incidents) {
            if (i.nanos() >= fromNanos && i.nanos() < toNanos) {
                inIncidents.add(i);
            }
        }
        return new Window(List.copyOf(inTurns), List.copyOf(inIncidents));
    }

    /** A slice of the run: its turns and incidents, and what they add up to. */
    public record Window(List<TurnRecord> turns, List<Incident> incidents) {

        public List<Double> values(LoadMetric metric) {
            List<Double> values = new ArrayList<>();
            for (TurnRecord t : turns) {
                Double v = metric.value().apply(t);
                if (v != null) {
                    values.add(v);
                }
            }
            return values;
        }

        public int turnCount() {
            return turns.size();
        }

        public int repliedTurns() {
            return (int) turns.stream().filter(TurnRecord::replied).count();
        }

        /** How many sessions had at least one turn with a reply. */
        public int sessionsWithReply() {
            return (int) turns.stream().filter(TurnRecord::replied).mapToInt(TurnRecord::session).distinct().count();
        }

        public int turnsWithoutReply() {
            return turns.size() - repliedTurns();
        }

        public int underruns() {
            return turns.stream().mapToInt(TurnRecord::underruns).sum();
        }

        public int turnsWithUnderruns() {
            return (int) turns.stream().filter(t -> t.underruns() > 0).count();
        }

        public double gapMs() {
            return turns.stream().mapToDouble(TurnRecord::gapMs).sum();
        }

        /** The reply audio the turns received, in ms (what the underrun time is a share of). */
        public double replyAudioMs() {
            return turns.stream().mapToDouble(TurnRecord::replyMs).sum();
        }

        /** Server errors and client-side problems (timeouts, no speech heard), each recorded as an incident. */
        public int errors() {
            return count(IncidentKind.ERROR);
        }

        /** Sessions the server closed or lost, and sessions that never connected. */
        public int droppedSessions() {
            return count(IncidentKind.DROPPED) + count(IncidentKind.CONNECT_FAILED);
        }

        public int count(IncidentKind kind) {
            return (int) incidents.stream().filter(i -> i.kind() == kind).count();
        }

        /** Incident messages with how often each occurred, most frequent first. */
        public Map<String, Integer> incidentMessages() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Incident i : incidents) {
                counts.merge(i.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + i.message(), 1,
                        Integer::sum);
            }
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort((a, b) -> b.getValue() - a.getValue());
            Map<String, Integer> result = new LinkedHashMap<>();
            sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
            return result;
        }
    }
}

package dev.voxline.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadRecorderTests {

    private static TurnRecord turn(int session, long endNanos, Double e2e, int underruns, double gapMs) {
        return new TurnRecord(session, endNanos, e2e, null, underruns, gapMs, 2000, e2e != null, 0);
    }

    @Test
    void aWindowHoldsTheTurnsAndIncidentsOfItsTimeSpan() {
        LoadRecorder recorder = new LoadRecorder();
        recorder.turn(turn(0, 100, 500.0, 0, 0));
        recorder.turn(turn(1, 200, 700.0, 2, 35));
        recorder.turn(turn(1, 300, null, 0, 0));
        recorder.incident(new LoadRecorder.Incident(250, 1, LoadRecorder.IncidentKind.ERROR, "timed out"));
        recorder.incident(new LoadRecorder.Incident(260, 2, LoadRecorder.IncidentKind.DROPPED, "closed (1011)"));
        recorder.incident(new LoadRecorder.Incident(50, 3, LoadRecorder.IncidentKind.CONNECT_FAILED, "refused"));

        LoadRecorder.Window w = recorder.window(150, 400);

        assertThat(w.turnCount()).isEqualTo(2);
        assertThat(w.turnsWithoutReply()).isEqualTo(1);
        assertThat(w.values(LoadMetric.CLIENT_E2E)).containsExactly(700.0);
        assertThat(w.underruns()).isEqualTo(2);
        assertThat(w.turnsWithUnderruns()).isEqualTo(1);
        assertThat(w.gapMs()).isEqualTo(35.0);
        assertThat(w.errors()).isEqualTo(1);
        assertThat(w.droppedSessions()).isEqualTo(1);
        assertThat(recorder.all().droppedSessions()).isEqualTo(2); // a session that never connected counts too
        assertThat(recorder.all().sessionsWithReply()).isEqualTo(2);
        assertThat(w.incidentMessages()).containsKeys("error: timed out", "dropped: closed (1011)");
    }

    @Test
    void sessionsAreCountedWhileActive() {
        LoadRecorder recorder = new LoadRecorder();
        recorder.sessionStarted();
        recorder.sessionStarted();
        recorder.sessionEnded();

        assertThat(recorder.activeSessions()).isEqualTo(1);
        assertThat(recorder.startedSessions()).isEqualTo(2);
    }
}

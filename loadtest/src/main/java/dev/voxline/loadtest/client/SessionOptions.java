package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;

/**
 * What a {@link TalkSession} asks for in {@code session.start}. The client always sends 16 kHz audio;
 * {@code simulation} is null unless simulated timings are wanted (the gateway must allow test settings);
 * {@code engines} null leaves every stage on its configured default (simulated ones when {@code simulation} is set);
 * {@code vadProfile} null is the server's default profile.
 */
public record SessionOptions(SessionConfig.Simulation simulation, int outputSampleRate, String vadProfile,
                             Duration connectTimeout, SessionConfig.Engines engines) {

    public static SessionOptions defaults() {
        return new SessionOptions(null, 16_000, null, Duration.ofSeconds(5), null);
    }

    public SessionOptions withSimulation(SessionConfig.Simulation simulation) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout, engines);
    }

    public SessionOptions withTimings(Timings timings) {
        return withSimulation(timings.simulation());
    }

    public SessionOptions withOutputSampleRate(int outputSampleRate) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout, engines);
    }

    public SessionOptions withConnectTimeout(Duration connectTimeout) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout, engines);
    }

    public SessionOptions withVadProfile(String vadProfile) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout, engines);
    }

    public SessionOptions withEngines(SessionConfig.Engines engines) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout, engines);
    }

    /** The engines {@code session.start} names: the chosen ones, else simulated ones for simulated timings. */
    SessionConfig.Engines requestedEngines() {
        if (engines != null) {
            return engines;
        }
        return simulation != null ? SessionConfig.Engines.simulated() : null;
    }
}

package dev.voxline.loadtest.client;

import dev.voxline.contracts.event.SessionConfig;
import java.time.Duration;

/**
 * What a {@link TalkSession} asks for in {@code session.start}. The client always sends 16 kHz audio;
 * {@code simulation} is null unless simulated timings are wanted (the gateway must allow test settings).
 */
public record SessionOptions(SessionConfig.Simulation simulation, int outputSampleRate, String vadProfile,
                             Duration connectTimeout) {

    public static SessionOptions defaults() {
        return new SessionOptions(null, 16_000, null, Duration.ofSeconds(5));
    }

    public SessionOptions withSimulation(SessionConfig.Simulation simulation) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout);
    }

    public SessionOptions withTimings(Timings timings) {
        return withSimulation(timings.simulation());
    }

    public SessionOptions withOutputSampleRate(int outputSampleRate) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout);
    }

    public SessionOptions withConnectTimeout(Duration connectTimeout) {
        return new SessionOptions(simulation, outputSampleRate, vadProfile, connectTimeout);
    }
}

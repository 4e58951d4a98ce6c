package dev.voxline.kafka;

import java.time.Instant;

/** Wall-clock epoch microseconds: the unit of the send-time and arrival headers (exact on one host). */
public final class WallClock {

    private WallClock() {
    }

    public static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}

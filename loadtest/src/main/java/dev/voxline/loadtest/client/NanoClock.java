package dev.voxline.loadtest.client;

/** A monotonic clock in nanoseconds; {@link #SYSTEM} in production, a fake in tests. */
@FunctionalInterface
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}

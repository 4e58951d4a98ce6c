package dev.voxline.vad.engine;

import dev.voxline.contracts.audio.Pcm;
import reactor.core.publisher.Flux;

/**
 * The simulated detector: speech probability from the frame's RMS level, rising linearly from 0 at the floor to
 * 1 at the ceiling (−50 → −30 dBFS by default, so the 0.5 threshold sits at −40 dBFS). It finds speech in a clean
 * recording and ignores digital silence and low noise; it cannot tell speech from any other loud sound. It is
 * stateless and costs microseconds per frame, so it scores on the caller's thread.
 */
public final class EnergyVadEngine implements VadEngine {

    private final double floorDbfs;
    private final double ceilingDbfs;

    public EnergyVadEngine(double floorDbfs, double ceilingDbfs) {
        if (ceilingDbfs <= floorDbfs) {
            throw new IllegalArgumentException("speech ceiling (" + ceilingDbfs + " dBFS) must be above the floor ("
                    + floorDbfs + " dBFS)");
        }
        this.floorDbfs = floorDbfs;
        this.ceilingDbfs = ceilingDbfs;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Flux<VadScore> score(Flux<AudioFrame> frames, VadSettings settings) {
        return frames.map(frame -> new VadScore(frame, probability(Pcm.rmsDbfs(frame.pcm()))));
    }

    public double probability(double dbfs) {
        double p = (dbfs - floorDbfs) / (ceilingDbfs - floorDbfs);
        return Math.max(0, Math.min(1, p));
    }
}

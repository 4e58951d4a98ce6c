package dev.voxline.vad.stage;

import dev.voxline.contracts.audio.Pcm;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * vad-service settings ({@code voxline.vad.*}); the defaults work offline.
 *
 * @param engine            default speech detector for sessions that name none: {@code silero} (Silero VAD v5,
 *                          onnxruntime), {@code webrtc} (libfvad) or {@code simulated} (energy based); a session may
 *                          choose any of them
 * @param defaultProfile    endpointing profile for sessions that do not choose one
 * @param preRollMs         audio kept before the first voiced frame and sent to STT with the speech (≥ 200 ms)
 * @param decisionDelayMs   extra wait between the end of the silence window and announcing the pause
 * @param speechFloorDbfs   energy detector: level with speech probability 0
 * @param speechCeilingDbfs energy detector: level with speech probability 1
 * @param silero            Silero detector settings
 * @param webrtc            WebRTC detector settings
 * @param speechRecordMs    speech audio per voice.speech record while this instance is busy (frames are packed until
 *                          a segment pauses; a pause sends what is left first): Kafka's cost is per record; below
 *                          {@code busySessions} every frame goes at once, so a streaming recogniser has at most one
 *                          frame left to decode when the pause comes
 * @param busySessions      from how many sessions on this instance it counts as busy
 * @param minInterruptionMs caller speech over the agent's voice (from its first voiced frame) that pauses the
 *                          agent's reply ({@code interrupt.pending}); shorter sounds — a cough, a click — never do;
 *                          a session may set its own ({@code turnTaking.minInterruptionMs})
 */
@ConfigurationProperties("voxline.vad")
public record VadProperties(
        @DefaultValue("silero") String engine,
        @DefaultValue("low-latency") String defaultProfile,
        @DefaultValue("200") int preRollMs,
        @DefaultValue("0") int decisionDelayMs,
        @DefaultValue("-50") double speechFloorDbfs,
        @DefaultValue("-30") double speechCeilingDbfs,
        @DefaultValue Silero silero,
        @DefaultValue WebRtc webrtc,
        @DefaultValue("100") int speechRecordMs,
        @DefaultValue("10") int busySessions,
        @DefaultValue("500") int minInterruptionMs) {

    /** The settings before barge-in existed, with its default minimum (tests). */
    public VadProperties(String engine, String defaultProfile, int preRollMs, int decisionDelayMs,
                         double speechFloorDbfs, double speechCeilingDbfs, Silero silero, WebRtc webrtc,
                         int speechRecordMs, int busySessions) {
        this(engine, defaultProfile, preRollMs, decisionDelayMs, speechFloorDbfs, speechCeilingDbfs, silero, webrtc,
                speechRecordMs, busySessions, 500);
    }

    @ConstructorBinding
    public VadProperties {
        if (minInterruptionMs < 0) {
            throw new IllegalArgumentException("voxline.vad.min-interruption-ms must not be negative");
        }
        if (speechRecordMs < Pcm.FRAME_MS) {
            throw new IllegalArgumentException("voxline.vad.speech-record-ms must be at least " + Pcm.FRAME_MS);
        }
    }

    /** Pipeline frames in one voice.speech audio record while this instance holds {@code activeSessions}. */
    public int speechFramesPerRecord(int activeSessions) {
        return activeSessions >= busySessions ? Math.max(1, speechRecordMs / Pcm.FRAME_MS) : 1;
    }

    /**
     * @param model   classpath resource of the Silero VAD v5 ONNX model (put there by the build)
     * @param threads inference threads shared by all sessions (0 = one per CPU)
     */
    public record Silero(
            @DefaultValue("models/silero_vad_v5.onnx") String model,
            @DefaultValue("0") int threads) {

        public static Silero defaults() {
            return new Silero("models/silero_vad_v5.onnx", 0);
        }

        public int threadCount() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * @param mode    aggressiveness 0 (quality) … 3 (very aggressive: fewest false positives)
     * @param threads scoring threads shared by all sessions
     */
    public record WebRtc(
            @DefaultValue("3") int mode,
            @DefaultValue("1") int threads) {

        public static WebRtc defaults() {
            return new WebRtc(3, 1);
        }
    }
}

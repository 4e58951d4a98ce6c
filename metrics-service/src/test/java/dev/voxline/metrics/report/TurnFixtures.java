package dev.voxline.metrics.report;

import dev.voxline.contracts.event.VoiceEvent;

/**
 * Metric events of one turn with distinct, exactly representable values, so every report field can be traced back
 * to the event it came from. Hops: vad 1.5, stt 2, eou 1.25, tts 0.75, gateway 0.5 ms (voice transport 6 ms, typed
 * transport 2.5 ms). Engines: stt vosk, llm openai (127.0.0.1, qwen2.5:0.5b), tts marytts (cmu-slt-hsmm).
 */
public final class TurnFixtures {

    static final long SPEECH_END_US = 1_700_000_000_000_000L;

    private TurnFixtures() {
    }

    public static VoiceEvent.VadMetrics vad(String session, String turn) {
        return new VoiceEvent.VadMetrics(session, turn, 12.5, 40, 99, SPEECH_END_US, 1.5);
    }

    public static VoiceEvent.SttMetrics stt(String session, String turn) {
        return new VoiceEvent.SttMetrics(session, turn, 120.0, 1800.0, 0.0625, true, 2.0, "vosk");
    }

    public static VoiceEvent.EouMetrics eou(String session, String turn) {
        return new VoiceEvent.EouMetrics(session, turn, 450.0, 130.0, false, 1.25);
    }

    public static VoiceEvent.EouMetrics typedEou(String session, String turn) {
        return new VoiceEvent.EouMetrics(session, turn, 0.0, 0.0, true, 1.25);
    }

    public static VoiceEvent.LlmMetrics llm(String session, String turn, String generation, boolean cancelled) {
        return new VoiceEvent.LlmMetrics(session, turn, generation, 300.0, 40.0, 900.0, 52, 30, 50.0, cancelled,
                "openai", "127.0.0.1", "qwen2.5:0.5b");
    }

    public static VoiceEvent.TtsMetrics tts(String session, String turn, String generation, boolean cancelled) {
        return new VoiceEvent.TtsMetrics(session, turn, generation, 100.0, 700.0, 2400.0, 120, cancelled, 0.75,
                "marytts", "cmu-slt-hsmm");
    }

    public static VoiceEvent.GatewayTurnMetrics gateway(String session, String turn, boolean typed, boolean interrupted) {
        return new VoiceEvent.GatewayTurnMetrics(session, turn, 905.0, SPEECH_END_US, SPEECH_END_US + 905_000, typed,
                interrupted, 2400, interrupted ? 800 : 2400, 0.5, false);
    }

    public static VoiceEvent.GatewayTurnMetrics gatewayWithoutAudio(String session, String turn, boolean interrupted) {
        return new VoiceEvent.GatewayTurnMetrics(session, turn, null, SPEECH_END_US, 0, false, interrupted, 0, 0,
                -1, false);
    }
}

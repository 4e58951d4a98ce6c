package dev.voxline.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.voxline.contracts.audio.AudioFormat;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.SessionConfig;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonCodecTests {

    private final JsonCodec codec = JsonCodec.get();

    static final SessionConfig CONFIG = new SessionConfig(48_000, 16_000, "high-accuracy",
            new SessionConfig.Engines("simulated", "simulated", "simulated", "simulated"), "slt",
            new SessionConfig.Simulation(10, 120, 300, 40.0, 100, 0.5, "hello there", "hi", "tts.fail"));

    static List<VoiceEvent> everyEvent() {
        return List.of(
                new VoiceEvent.SessionStarted("s1", AudioFormat.pcm16(48_000), AudioFormat.PIPELINE, CONFIG),
                new VoiceEvent.SessionEnded("s1", "client closed"),
                new VoiceEvent.SpeechStarted("s1", "t1", 1_240, 62),
                new VoiceEvent.SpeechEnded("s1", "t1", 2_480, 123, 1_700_000_000_123_456L),
                new VoiceEvent.TranscriptInterim("s1", "t1", "what is"),
                new VoiceEvent.TranscriptFinal("s1", "t1", "what is the time", true, 1_700_000_000_123_456L),
                new VoiceEvent.AgentTurn("s1", "t9", VoiceEvent.AgentTurn.USER_IDLE, 1, 1_700_000_000_123_456L),
                new VoiceEvent.ReplyDelta("s1", "t1", "g1", " It"),
                new VoiceEvent.ReplyClause("s1", "t1", "g1", 0, "It is noon."),
                new VoiceEvent.ReplyDone("s1", "t1", "g1", "It is noon.", 1, false),
                new VoiceEvent.SynthesisDone("s1", "t1", "g1", 1_520, false),
                new VoiceEvent.AudioStart("s1", "t1", AudioFormat.PIPELINE),
                new VoiceEvent.AudioDone("s1", "t1", 1_520),
                new VoiceEvent.AudioClear("s1", "t1", "interrupted", 600),
                new VoiceEvent.Interrupt("s1", "t1", "client", "user pressed stop"),
                new VoiceEvent.TurnMetrics(1, 5L, "s1", "t1", 350.0, 300.0, 120.0, 1_800.0, 0.07, 250.0, 30.0,
                        900.0, 42, 17, 38.5, 95.0, 400.0, 1_520.0, 11, 3.2, 730.0, false, false, null, null, 0.31, 95,
                        "vosk", "openai", "127.0.0.1", "qwen2.5:0.5b", "marytts", "cmu-slt-hsmm",
                        new VoiceEvent.TurnMetrics.Hops(0.4, 0.6, 0.9, 0.7, 0.6), null),
                new VoiceEvent.Alert(1, 5L, "s1", "t1", "e2e", "e2e", 1_200, 1_000, "warning", "slow turn"),
                new VoiceEvent.Alert("s1", "t1", "e2e_p95", "e2e", 1_200, 1_000, "warning", "slow turn"),
                new VoiceEvent.AlertTransition(1, 5L, null, "e2e_p95", "E2eSlow", VoiceEvent.AlertTransition.FIRING,
                        "e2e", "p95", ">", 1_250.0, 1_000, "critical", Map.of("team", "voice"), 2L, 4L, "slow"),
                new VoiceEvent.Error("s1", "t1", ErrorCodes.STAGE_FAILED, "tts failed"),
                new VoiceEvent.TurnCommitted("s1", "t1", "g1"),
                new VoiceEvent.InterruptPending("s1", "t2", 450, 1_700_000_000_123_456L),
                new VoiceEvent.InterruptResumed("s1", "t2", VoiceEvent.InterruptResumed.BACKCHANNEL, "mm-hm"),
                new VoiceEvent.AudioPaused("s1", "t1", 600),
                new VoiceEvent.AudioResumed("s1", "t1", 600),
                new VoiceEvent.PlaybackStarted("s1", "t1", "g1"),
                new VoiceEvent.PlaybackStopped("s1", "t1", "g1", 1_520, 600, true, "It is"),
                new VoiceEvent.InterruptionMetrics("s1", "t1", VoiceEvent.InterruptionMetrics.BARGE_IN, 42.0),
                new VoiceEvent.ContextSnapshot("s1", 7, "The caller is Ada.", List.of(
                        new VoiceEvent.ContextSnapshot.Message("user", "What is my name?"),
                        new VoiceEvent.ContextSnapshot.Message("assistant", "Ada.")), CONFIG),
                new VoiceEvent.VadMetrics("s1", "t1", 4.5, 120, 123, 1_700_000_000_123_456L, 1.2),
                new VoiceEvent.SttMetrics("s1", "t1", 120.0, 1_800.0, 0.07, true, 0.9, "vosk"),
                new VoiceEvent.EouMetrics("s1", "t1", 350.0, 300.0, false, 1.1),
                new VoiceEvent.LlmMetrics("s1", "t1", "g1", 250.0, 30.0, 900.0, 42, 17, 38.5, false, "openai",
                        "127.0.0.1", "qwen2.5:0.5b"),
                new VoiceEvent.TtsMetrics("s1", "t1", "g1", 95.0, 400.0, 1_520.0, 11, false, 0.8, "marytts", null),
                new VoiceEvent.GatewayTurnMetrics("s1", "t1", 730.0, 1L, 2L, false, false, 1_520, 1_520, 1.0, true));
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void everyEventRoundTrips(VoiceEvent event) {
        byte[] json = codec.encode(event);
        assertThat(codec.decodeEvent(json)).isEqualTo(event);
        assertThat(new String(json)).startsWith("{\"type\":\"" + JsonCodec.typeName(event) + "\"");
    }

    @Test
    void theListAboveCoversEveryEventType() {
        Set<Class<?>> declared = Arrays.stream(VoiceEvent.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(everyEvent().stream().map(Object::getClass).collect(Collectors.toSet())).isEqualTo(declared);
        assertThat(VoiceEvent.class.getPermittedSubclasses()).hasSameSizeAs(declared.toArray());
    }

    static Stream<ClientMessage> everyClientMessage() {
        return Stream.of(
                new ClientMessage.SessionStart(48_000, 16_000, "low-latency", SessionConfig.Engines.simulated(),
                        "slt", CONFIG.simulation()),
                new ClientMessage.TextInput("hello"),
                new ClientMessage.Interrupt("t1"),
                new ClientMessage.PlaybackPosition("t1", 640L),
                new ClientMessage.ClientLatency("t1", 512.5),
                new ClientMessage.SessionEnd("bye"));
    }

    @ParameterizedTest
    @MethodSource("everyClientMessage")
    void everyClientMessageRoundTrips(ClientMessage message) {
        assertThat(codec.decodeClientMessage(codec.encodeToString(message))).isEqualTo(message);
    }

    @Test
    void contextSnapshotKeepsItsMessagesInOrderAndToleratesMissingOnes() {
        VoiceEvent.ContextSnapshot snapshot = new VoiceEvent.ContextSnapshot("s1", 3, null, List.of(
                new VoiceEvent.ContextSnapshot.Message("user", "My name is Ada."),
                new VoiceEvent.ContextSnapshot.Message("assistant", "Hello Ada."),
                new VoiceEvent.ContextSnapshot.Message("user", "What is my name?")), null);
        VoiceEvent decoded = codec.decodeEvent(codec.encode(snapshot));
        assertThat(decoded).isEqualTo(snapshot);
        assertThat(((VoiceEvent.ContextSnapshot) decoded).messages()).extracting(VoiceEvent.ContextSnapshot.Message::content)
                .containsExactly("My name is Ada.", "Hello Ada.", "What is my name?");
        VoiceEvent bare = codec.decodeEvent("{\"type\":\"context.snapshot\",\"v\":1,\"ts\":1,\"sessionId\":\"s1\","
                + "\"seq\":2,\"future\":true}");
        assertThat(((VoiceEvent.ContextSnapshot) bare).messages()).isEmpty();
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = """
                {"type":"transcript.final","v":2,"ts":17,"sessionId":"s1","turnId":"t1","text":"hi",
                 "typed":false,"confidence":0.93,"alternatives":[{"text":"high"}]}""";
        assertThat(codec.decodeEvent(json))
                .isEqualTo(new VoiceEvent.TranscriptFinal(2, 17, "s1", "t1", "hi", false, 0));
        assertThat(codec.decodeClientMessage("{\"type\":\"text.input\",\"text\":\"hi\",\"lang\":\"en\"}"))
                .isEqualTo(new ClientMessage.TextInput("hi"));
    }

    @Test
    void metricEventsFromProducersThatNameNoEngineDecodeWithNullEngines() {
        VoiceEvent llm = codec.decodeEvent("""
                {"type":"metrics.llm","v":1,"ts":3,"sessionId":"s1","turnId":"t1","generationId":"g1","ttftMs":250.0,
                 "firstClauseDelayMs":30.0,"durationMs":900.0,"promptTokens":42,"completionTokens":17,
                 "tokensPerSecond":38.5,"cancelled":false}""");
        assertThat(llm).isEqualTo(new VoiceEvent.LlmMetrics(1, 3, "s1", "t1", "g1", 250.0, 30.0, 900.0, 42, 17, 38.5,
                false, null, null, null));
        VoiceEvent.TtsMetrics tts = (VoiceEvent.TtsMetrics) codec.decodeEvent("""
                {"type":"metrics.tts","v":1,"ts":3,"sessionId":"s1","turnId":"t1","generationId":"g1","ttfbMs":95.0,
                 "durationMs":400.0,"audioDurationMs":1520.0,"charactersCount":11,"cancelled":false,"hopMs":0.8}""");
        assertThat(tts.engine()).isNull();
        assertThat(tts.voice()).isNull();
        String report = codec.encodeToString(new VoiceEvent.TurnMetrics(1, 5L, "s1", "t1", null, null, null, null,
                null, 250.0, null, null, null, null, null, null, null, null, null, null, null, false, false, null,
                null, null, null, null, "openai", "127.0.0.1", "qwen2.5:0.5b", null, null, null, null));
        assertThat(report).contains("\"llm_engine\":\"openai\"", "\"llm_provider\":\"127.0.0.1\"",
                "\"llm_model\":\"qwen2.5:0.5b\"");
    }

    @Test
    void theHopsOfATurnAreNamedInSnakeCaseAndAnUnknownOneIsLeftOut() {
        String report = codec.encodeToString(new VoiceEvent.TurnMetrics(1, 5L, "s1", "t1", null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, 2.2, null, false, false, null,
                null, null, null, null, null, null, null, null, null,
                new VoiceEvent.TurnMetrics.Hops(null, null, 0.9, 0.7, 0.6), null));

        assertThat(report).contains("\"transport_hops\":{\"stt_llm\":0.9,\"llm_tts\":0.7,\"tts_gateway\":0.6}");
        VoiceEvent.TurnMetrics decoded = (VoiceEvent.TurnMetrics) codec.decodeEvent(report);
        assertThat(decoded.transportHops()).isEqualTo(new VoiceEvent.TurnMetrics.Hops(null, null, 0.9, 0.7, 0.6));
    }

    @Test
    void minimalClientMessagesDecode() {
        assertThat(codec.decodeClientMessage("{\"type\":\"session.start\"}"))
                .isEqualTo(new ClientMessage.SessionStart(null, null, null, null, null, null));
        assertThat(codec.decodeClientMessage("{\"type\":\"interrupt\"}")).isEqualTo(new ClientMessage.Interrupt(null));
    }

    @Test
    void badInputGivesAnErrorCode() {
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"text.input\",")).isInstanceOfSatisfying(
                JsonCodec.CodecException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_JSON));
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"dance\"}")).isInstanceOfSatisfying(
                JsonCodec.CodecException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_TYPE);
                    assertThat(e.getMessage()).contains("dance");
                });
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"text\":\"hi\"}")).isInstanceOfSatisfying(
                JsonCodec.CodecException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_MESSAGE));
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"playback.position\",\"playedMs\":\"soon\"}"))
                .isInstanceOfSatisfying(JsonCodec.CodecException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_FIELD));
        assertThatThrownBy(() -> codec.decodeClientMessage("null")).isInstanceOf(JsonCodec.CodecException.class);
    }
}

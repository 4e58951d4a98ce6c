package dev.voxline.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client messages are read strictly: a field of the wrong JSON type is refused, naming the message and the field. */
class ClientMessageReaderTests {

    private final JsonCodec codec = JsonCodec.get();

    /** A message of {@code type} with {@code fields}, and what the client is told about it after "type: ". */
    private static Arguments refused(String type, String fields, String message) {
        return Arguments.of("{\"type\":\"" + type + "\"," + fields + "}", type + ": " + message);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                refused("text.input", "\"text\":42", "text must be a string (got 42)"),
                refused("text.input", "\"text\":true", "text must be a string (got true)"),
                refused("text.input", "\"text\":[\"hi\"]", "text must be a string (got an array)"),
                refused("session.start", "\"inputSampleRate\":\"16000\"",
                        "inputSampleRate must be an integer (got \"16000\")"),
                refused("session.start", "\"outputSampleRate\":16000.5",
                        "outputSampleRate must be an integer (got 16000.5)"),
                refused("session.start", "\"inputSampleRate\":30000000000",
                        "inputSampleRate is out of range for an integer (got 30000000000)"),
                refused("session.start", "\"vadProfile\":1", "vadProfile must be a string (got 1)"),
                refused("session.start", "\"engines\":\"simulated\"",
                        "engines must be an object (got \"simulated\")"),
                refused("session.start", "\"engines\":{\"stt\":false}", "engines.stt must be a string (got false)"),
                refused("session.start", "\"turnTaking\":{\"echoGate\":\"no\"}",
                        "turnTaking.echoGate must be true or false (got \"no\")"),
                refused("session.start", "\"turnTaking\":{\"minInterruptionMs\":true}",
                        "turnTaking.minInterruptionMs must be an integer (got true)"),
                refused("session.start", "\"simulation\":{\"ttsRealTimeFactor\":\"1\"}",
                        "simulation.ttsRealTimeFactor must be a number (got \"1\")"),
                refused("interrupt", "\"turnId\":7", "turnId must be a string (got 7)"),
                refused("playback.position", "\"turnId\":\"t\",\"playedMs\":1.5",
                        "playedMs must be an integer (got 1.5)"),
                refused("client.latency", "\"turnId\":\"t\",\"e2eMs\":\"fast\"",
                        "e2eMs must be a number (got \"fast\")"),
                refused("session.end", "\"reason\":{}", "reason must be a string (got an object)"),
                Arguments.of("{\"type\":5}", "type must be a string (got 5)"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void aFieldOfTheWrongTypeIsRefusedByName(String json, String message) {
        assertThatThrownBy(() -> codec.decodeClientMessage(json)).isInstanceOfSatisfying(JsonCodec.CodecException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_FIELD);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void aLongRefusedValueIsQuotedShort() {
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"session.start\",\"engines\":\""
                + "x".repeat(500) + "\"}"))
                .hasMessage("session.start: engines must be an object (got \"" + "x".repeat(39) + "…)");
    }

    @Test
    void numbersStayNumbersWhereTheProtocolSaysNumber() {
        assertThat(codec.decodeClientMessage("{\"type\":\"client.latency\",\"turnId\":\"t\",\"e2eMs\":512}"))
                .isEqualTo(new ClientMessage.ClientLatency("t", 512.0));
        assertThat(codec.decodeClientMessage("{\"type\":\"text.input\",\"text\":null}"))
                .isEqualTo(new ClientMessage.TextInput(null));
    }

    @Test
    void aFrameHoldsOneMessageWithEachFieldOnce() {
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"interrupt\"} {\"type\":\"interrupt\"}"))
                .isInstanceOfSatisfying(JsonCodec.CodecException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_JSON);
                    assertThat(e.getMessage()).isEqualTo("malformed JSON: a frame holds one message, found more "
                            + "after it");
                });
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"text.input\",\"text\":\"a\",\"text\":\"b\"}"))
                .isInstanceOfSatisfying(JsonCodec.CodecException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_JSON);
                    assertThat(e.getMessage()).contains("\"text\"");
                });
    }

    @Test
    void whatIsNotAMessageIsRefusedAsAWhole() {
        for (String json : new String[] {"[]", "42", "\"text.input\"", "null", "", "{}", "{\"type\":null}"}) {
            assertThatThrownBy(() -> codec.decodeClientMessage(json)).as(json)
                    .isInstanceOfSatisfying(JsonCodec.CodecException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_MESSAGE);
                        assertThat(e.getMessage()).contains("\"type\"");
                    });
        }
    }

    @Test
    void anUnknownTypeIsAnsweredWithTheKnownOnes() {
        assertThatThrownBy(() -> codec.decodeClientMessage("{\"type\":\"dance\"}")).hasMessage("unknown message type "
                + "\"dance\"; known: session.start, text.input, interrupt, playback.position, client.latency, "
                + "session.end");
    }

    @Test
    void eventsBetweenTheServicesAreStillReadLeniently() {
        VoiceEvent event = codec.decodeEvent("{\"type\":\"transcript.final\",\"v\":1,\"ts\":\"17\","
                + "\"sessionId\":\"s1\",\"turnId\":\"t1\",\"text\":42,\"typed\":false}");
        assertThat(event).isEqualTo(new VoiceEvent.TranscriptFinal(1, 17, "s1", "t1", "42", false, 0));
    }
}

package dev.voxline.gateway.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.event.VoiceEvent;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a hostile or broken client gets at the socket: fields of the wrong type or out of range are answered with an
 * {@code error} naming the field and the session goes on; a browser page on a foreign origin is refused at the
 * handshake; none of it reaches another session.
 */
@GatewaySocketTest
@ExtendWith(OutputCaptureExtension.class)
class GatewayHardeningTests {

    @LocalServerPort
    int port;

    private static VoiceEvent.Error expectError(TalkClient client, String code, String saying) {
        VoiceEvent.Error error = client.await(VoiceEvent.Error.class);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).contains(saying);
        return error;
    }

    private static String startedSession(TalkClient client) {
        client.send("{\"type\":\"session.start\"}");
        return client.await(VoiceEvent.SessionStarted.class).sessionId();
    }

    private static void typedTurnWorks(TalkClient client, String text) {
        client.send("{\"type\":\"text.input\",\"text\":\"" + text + "\"}");
        assertThat(client.await(VoiceEvent.TranscriptFinal.class).text()).isEqualTo(text);
    }

    @Test
    void badFieldsAreNamedInTheirErrorAndNeitherThisNorAnotherSessionIsHurt(CapturedOutput output) throws Exception {
        try (TalkClient bystander = new TalkClient(port); TalkClient client = new TalkClient(port)) {
            startedSession(bystander);

            client.send("{\"type\":\"text.input\",\"text\":42}");
            expectError(client, ErrorCodes.INVALID_FIELD, "text.input: text must be a string (got 42)");
            client.send("{\"type\":\"session.start\",\"inputSampleRate\":-5}");
            expectError(client, ErrorCodes.INVALID_FIELD,
                    "session.start: inputSampleRate must be between 8000 and 48000 (got -5)");
            client.send("{\"type\":\"session.start\",\"engines\":{\"stt\":7}}");
            expectError(client, ErrorCodes.INVALID_FIELD, "session.start: engines.stt must be a string (got 7)");
            try (TalkClient foreign = new TalkClient(port, "http://evil.example")) {
                assertThat(foreign.awaitFailure()).isInstanceOfSatisfying(WebSocketClientHandshakeException.class,
                        e -> assertThat(e.response().status().code()).isEqualTo(403));
            }

            client.send("{\"type\":\"session.start\",\"inputSampleRate\":48000}");
            assertThat(client.await(VoiceEvent.SessionStarted.class).inputFormat().sampleRate()).isEqualTo(48_000);
            typedTurnWorks(client, "still here?");
            typedTurnWorks(bystander, "and me?");
            assertThat(bystander.history()).noneMatch(received -> received.event() instanceof VoiceEvent.Error);
        }
        assertThat(output.getOut()).contains("origin http://evil.example is not in voxline.gateway.allowed-origins");
    }

    @Test
    void aPageOnALoopbackOriginIsAccepted() {
        try (TalkClient client = new TalkClient(port, "http://localhost:5173")) {
            typedTurnWorks(client, "hello from a page");
        }
    }

    @Test
    void aClientThatSendsNoOriginIsAccepted() throws Exception {
        // The JDK's WebSocket client, as the CLI and the load generator use it, sends no Origin header.
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        };
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/talk"), listener)
                .get(TalkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.sendText("{\"type\":\"session.start\"}", true);
            assertThat(first.get(TalkClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("\"session.started\"");
        } finally {
            socket.abort();
        }
    }
}

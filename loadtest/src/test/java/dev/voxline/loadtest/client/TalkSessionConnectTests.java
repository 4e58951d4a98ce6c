package dev.voxline.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TalkSessionConnectTests {

    @Test
    void aClosedPortMeansNoGatewayAndSaysHowToStartOne() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + closedPort() + "/v1/talk");

        assertThatThrownBy(() -> TalkSession.connect(uri))
                .isInstanceOf(TalkException.class)
                .hasMessage("no gateway at " + uri + ": start it with ./voxline up");
    }

    @Test
    void anHttpServerThatIsNotAGatewayIsNamedAsSuch() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/v1/talk");

            assertThatThrownBy(() -> TalkSession.connect(uri, SessionOptions.defaults()
                    .withConnectTimeout(Duration.ofSeconds(3))))
                    .isInstanceOf(TalkException.class)
                    .hasMessageContaining(uri + " answered HTTP 404 instead of a WebSocket");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void inputIsCutInto20MsFramesThenTrailingSilence() {
        byte[] pcm = new byte[640 * 3 + 100];
        java.util.Arrays.fill(pcm, (byte) 1);

        List<byte[]> frames = TalkSession.frames(pcm, Duration.ofMillis(1500));

        assertThat(frames).hasSize(4 + 75).allSatisfy(frame -> assertThat(frame).hasSize(640));
        assertThat(frames.get(3)[99]).isEqualTo((byte) 1);
        assertThat(frames.get(3)[100]).isZero(); // the last partial frame is padded with silence
        assertThat(frames.get(4)).containsOnly(0);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

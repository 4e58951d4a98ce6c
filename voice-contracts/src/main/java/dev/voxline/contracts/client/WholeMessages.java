package dev.voxline.contracts.client;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket listener that joins each message's parts and hands whole text and binary messages on, stamped with
 * {@link System#nanoTime()} when their last part arrived; it asks for one message at a time.
 */
public final class WholeMessages implements WebSocket.Listener {

    /** Where whole messages go, on the socket's thread: keep it quick. */
    public interface Sink {
        void text(String message, long nanos);

        void binary(byte[] message, long nanos);

        /** The connection ended: closed by the server (code and reason) or failed. */
        void closed(String description);
    }

    private final Sink sink;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    public WholeMessages(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            long nanos = System.nanoTime();
            String message = text.toString();
            text.setLength(0);
            sink.text(message, nanos);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            long nanos = System.nanoTime();
            byte[] message = binary.toByteArray();
            binary.reset();
            sink.binary(message, nanos);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        sink.closed("closed by the gateway (" + statusCode + (reason == null || reason.isEmpty() ? "" : " "
                + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        sink.closed("connection error: " + error);
    }
}

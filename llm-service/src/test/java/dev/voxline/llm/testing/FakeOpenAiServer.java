package dev.voxline.llm.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for an OpenAI-compatible chat-completions server, on a plain socket so that it can do exactly what
 * a real one does on the wire: a {@code text/event-stream} in chunked transfer encoding with a role-only first chunk,
 * content chunks, a finish chunk, a usage chunk and {@code data: [DONE]}; an {@code {"error":…}} JSON body with a
 * 4xx/5xx status; a connection dropped mid-stream; or a stream that stops after its first words and waits, to see
 * the client close the connection. Every streamed response is recorded ({@link #streams()}): how far it got and
 * whether the client closed it before its end, so a test can tell a cancelled stream from one left running. Listens
 * on 127.0.0.1, a random port. Shared by llm-service's engine tests and voxline-local's integration tests (this
 * module's test-jar).
 */
public final class FakeOpenAiServer implements AutoCloseable {

    public enum Mode { STREAM, ERROR, DISCONNECT, HOLD }

    /** One request as the server read it. */
    public record Request(String requestLine, List<String> headers, String body) {
        public String header(String name) {
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return header.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    /** Counted down when the client closes a stream before its end (a HOLD stream can only end so). */
    public final CountDownLatch clientClosed = new CountDownLatch(1);
    /** Counted down when a HOLD stream has sent its first words. */
    public final CountDownLatch holding = new CountDownLatch(1);

    public volatile Mode mode = Mode.STREAM;
    public volatile List<String> tokens = List.of("Hello", " there", ".", " How", " can", " I", " help?");
    public volatile int promptTokens = 17;
    public volatile int completionTokens = 9;
    public volatile int errorStatus = 401;
    public volatile String errorMessage = "Incorrect API key provided: sk-wrong.";
    public volatile String errorType = "invalid_request_error";
    /** Time between two events of a stream, ms. */
    public volatile int eventDelayMs;

    public FakeOpenAiServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-openai-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * A streamed response as it ended.
     *
     * @param tokens         content chunks it was to send
     * @param sent           content chunks it sent
     * @param startedNanos   {@link System#nanoTime()} when its headers left
     * @param endedNanos     when it ended: its last byte sent, or the client's close seen
     * @param closedByClient the client closed the connection before the end of the stream
     */
    public record Stream(int tokens, int sent, long startedNanos, long endedNanos, boolean closedByClient) {
        public long durationMs() {
            return (endedNanos - startedNanos) / 1_000_000;
        }
    }

    /** The streamed responses that have ended, in the order they ended. */
    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    public int served() {
        return served.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true); // as real servers do: each event leaves at once
                connections.add(connection);
                Thread handler = new Thread(() -> handle(connection), "fake-openai-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) { // keep-alive: one request after another on the same connection
                Request request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                served.incrementAndGet();
                if (!respond(request, connection, in, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Answers one request; false when the connection is to be closed. */
    private boolean respond(Request request, Socket connection, InputStream in, OutputStream out) throws IOException {
        Mode current = mode;
        if (current == Mode.ERROR) {
            String body = "{\"error\":{\"message\":\"" + errorMessage + "\",\"type\":\"" + errorType
                    + "\",\"param\":null,\"code\":" + (errorStatus == 401 ? "\"invalid_api_key\"" : "null") + "}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + errorStatus + " " + reason(errorStatus) + "\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return true;
        }
        out.write(("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream; charset=utf-8\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Cache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> words = tokens;
        long started = System.nanoTime();
        int sent = 0;
        try {
            String id = "chatcmpl-fake" + served.get();
            String model = "fake-model";
            event(connection, out, chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
            for (; sent < words.size(); sent++) {
                if (current == Mode.DISCONNECT && sent == 2) {
                    streams.add(new Stream(words.size(), sent, started, System.nanoTime(), false));
                    return false; // dropped: no finish, no usage, no [DONE], no closing chunk
                }
                if (current == Mode.HOLD && sent == 1) {
                    holding.countDown();
                    // the stream stalls; the only way on is the client closing the connection
                    while (in.read() >= 0) {
                        // discard
                    }
                    throw new ClientClosed();
                }
                event(connection, out, chunk(id, model, "{\"content\":" + json(words.get(sent)) + "}", null));
            }
            event(connection, out, chunk(id, model, "{}", "\"stop\""));
            event(connection, out, "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764100000,"
                    + "\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                    + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}");
            event(connection, out, "[DONE]");
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the client closed the connection (seen as its end of the stream, or as a write that failed)
            streams.add(new Stream(words.size(), sent, started, System.nanoTime(), true));
            clientClosed.countDown();
            return false;
        }
        streams.add(new Stream(words.size(), sent, started, System.nanoTime(), false));
        return true;
    }

    private static String chunk(String id, String model, String delta, String finishReason) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764100000,\"model\":\""
                + model + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}],\"usage\":null}";
    }

    private void event(Socket connection, OutputStream out, String data) throws IOException {
        if (eventDelayMs > 0) {
            awaitUnlessClosed(connection, eventDelayMs);
        }
        byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(bytes.length + 16);
        chunk.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.write(bytes);
        chunk.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(chunk.toByteArray()); // one chunk, one write
        out.flush();
    }

    /**
     * Waits {@code ms} between two events, reading meanwhile: a client that closes its end is seen at once (the read
     * ends), not only at the next write, which the kernel may still accept.
     */
    private static void awaitUnlessClosed(Socket connection, int ms) throws IOException {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        InputStream in = connection.getInputStream();
        try {
            for (long left = ms; left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                connection.setSoTimeout((int) Math.max(1, left));
                try {
                    if (in.read() < 0) {
                        throw new ClientClosed();
                    }
                } catch (SocketTimeoutException e) {
                    return; // the time between two events has passed
                }
            }
        } finally {
            connection.setSoTimeout(0);
        }
    }

    /** The client closed its end of the connection. */
    private static final class ClientClosed extends IOException {
        ClientClosed() {
            super("the client closed the connection");
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        if (matched < 4) {
            return null;
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        List<String> headers = new ArrayList<>();
        int length = 0;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            headers.add(lines[i]);
            if (lines[i].toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(lines[i].substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Request(lines[0], headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String reason(int status) {
        if (status == 401) {
            return "Unauthorized";
        }
        if (status == 429) {
            return "Too Many Requests";
        }
        return status >= 500 ? "Internal Server Error" : "Bad Request";
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}

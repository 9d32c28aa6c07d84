package org.opendialer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A dialer stand-in: a WebSocket client that queues every text frame (and the close) it receives. */
public final class WsTestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    /** RFC 6455 7.4.1: closed without a close frame. */
    public static final int ABNORMAL_CLOSURE = 1006;
    private volatile int closeCode = -1;

    private WsTestClient(String wsUrl, String origin) {
        StringBuilder partial = new StringBuilder();
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", origin)
                // Generous: the first upgrade of a cold in-process gateway on a loaded 2-core machine took over 30 s.
                .connectTimeout(Duration.ofSeconds(60))
                .buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closeCode = statusCode;
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        // The connection ended without a close frame reaching us (e.g. reset while we were
                        // still sending: a reset discards what the server sent): RFC 6455's 1006.
                        if (closeCode == -1) {
                            closeCode = ABNORMAL_CLOSURE;
                        }
                    }
                })
                .join();
    }

    public static WsTestClient connect(String baseUrl, String origin) {
        return new WsTestClient(baseUrl.replaceFirst("^http", "ws") + "/ws", origin);
    }

    public static WsTestClient connect(String baseUrl) {
        return connect(baseUrl, baseUrl);
    }

    public void sendText(String frame) {
        socket.sendText(frame, true).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    public JsonNode next() throws Exception {
        return next(Duration.ofSeconds(10));
    }

    public JsonNode next(Duration wait) throws Exception {
        String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + wait.toSeconds() + " s (close code " + closeCode + ")");
        }
        return JSON.readTree(frame);
    }

    /** Sends a request and returns the next frame, which must be its response. */
    public JsonNode request(String id, String method, String paramsJson) throws Exception {
        sendText("{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"" + method
                + "\",\"params\":" + paramsJson + "}");
        return next();
    }

    /** Waits for the server's close frame and returns its status code, or -1. */
    public int awaitCloseCode() throws InterruptedException {
        for (int i = 0; i < 100 && closeCode == -1; i++) {
            Thread.sleep(100);
        }
        return closeCode;
    }

    public boolean hasNoPendingFrames() {
        return frames.isEmpty();
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        socket.abort();
    }
}

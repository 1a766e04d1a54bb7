package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that never ends its line must cost a bounded amount of memory: a stand-in QMP server on a unix socket
 * greets, negotiates, then answers a command with bytes and no newline.
 */
class QmpLineLimitTest {

    private static final int LIMIT = 64 * 1024;
    private static final long ENDLESS = 256L * 1024 * 1024;
    private static final QmpClientOptions OPTIONS =
            new QmpClientOptions(Duration.ofSeconds(5), Duration.ofSeconds(5)).withMaxLineBytes(LIMIT);

    @Test
    void endlessLineFailsTheConnectionNamingTheLimit(@TempDir Path tempDir) throws Exception {
        try (FakeQmpServer server = new FakeQmpServer(tempDir.resolve("endless.qmp"), FakeQmpServer::sendEndlessLine);
                QmpClient client = QmpClient.connect(server.socket, "endless", OPTIONS).await().atMost(WAIT)) {

            assertThatThrownBy(() -> client.execute("query-status").await().atMost(WAIT))
                    .isInstanceOf(QmpConnectionLostException.class)
                    .hasMessageContaining("[endless]")
                    .hasMessageContaining("longer than " + LIMIT + " bytes");

            await().atMost(WAIT).until(client::isClosed);
            // The client hung up instead of reading on: the server's writing failed long before its 256 MiB.
            long sent = server.endlessWriteFailed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(sent).isLessThan(ENDLESS);
        }
    }

    @Test
    void replyJustUnderTheLimitStillArrives(@TempDir Path tempDir) throws Exception {
        String big = "y".repeat(LIMIT - 100);
        try (FakeQmpServer server = new FakeQmpServer(tempDir.resolve("big.qmp"),
                (session, id) -> session.send("{\"return\": {\"big\": \"" + big + "\"}, \"id\": " + id + "}\r\n"));
                QmpClient client = QmpClient.connect(server.socket, "big", OPTIONS).await().atMost(WAIT)) {

            JsonNode reply = client.execute("query-status").await().atMost(WAIT);

            assertThat(reply.path("big").asText()).isEqualTo(big);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void defaultLimitIsSixteenMebibytesAndSurvivesOtherChanges() {
        assertThat(QmpClientOptions.DEFAULTS.maxLineBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(QmpClientOptions.DEFAULTS.withCommandTimeout(Duration.ofSeconds(1)).maxLineBytes())
                .isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> QmpClientOptions.DEFAULTS.withMaxLineBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** How the stand-in answers the first command after negotiation, given that command's id. */
    private interface Answer {
        void answer(FakeQmpServer session, long id) throws IOException;
    }

    /** One-connection QMP stand-in: QEMU 7.2's greeting, qmp_capabilities, then one scripted answer. */
    private static final class FakeQmpServer implements AutoCloseable {
        final Path socket;
        final CompletableFuture<Long> endlessWriteFailed = new CompletableFuture<>();
        private final ServerSocketChannel server;
        private final Thread thread;
        private volatile SocketChannel channel;

        FakeQmpServer(Path socket, Answer answer) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> serve(answer), "fake-qmp-" + socket.getFileName());
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Answer answer) {
            try (SocketChannel accepted = server.accept()) {
                channel = accepted;
                send("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"},"
                        + " \"capabilities\": [\"oob\"]}}\r\n");
                send("{\"return\": {}, \"id\": " + idOf(readLine()) + "}\r\n");
                answer.answer(this, idOf(readLine()));
                // Hold the connection open, as a hung QEMU would, until the client or the test ends it.
                while (accepted.read(ByteBuffer.allocate(4096)) >= 0) {
                    continue;
                }
            } catch (IOException e) {
                // The client hung up, or the test closed the server.
            }
        }

        void sendEndlessLine(long id) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            long sent = 0;
            try {
                send("{\"return\": {\"endless\": \"");
                while (sent < ENDLESS) {
                    send(chunk);
                    sent += chunk.length;
                }
            } catch (IOException e) {
                endlessWriteFailed.complete(sent);
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        private void send(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IOException("client hung up");
                }
                char c = (char) one.get(0);
                if (c == '\n') {
                    return line.toString();
                }
                line.append(c);
            }
        }

        private static long idOf(String line) throws IOException {
            return QmpClient.MAPPER.readTree(line).path("id").asLong();
        }

        @Override
        public void close() throws Exception {
            server.close();
            SocketChannel current = channel;
            if (current != null) {
                current.close();
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}

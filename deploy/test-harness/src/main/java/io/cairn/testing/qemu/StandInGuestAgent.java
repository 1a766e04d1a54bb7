package io.cairn.testing.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest side of a qemu-ga channel, served by the test at the socket the host agent connects to (there is no
 * guest OS): answers as qemu-ga 7.2 does (qemu-restore-offline-verified.md §4) and records each command it received,
 * and when; hooks let a test act at the moment a freeze or thaw arrives.
 */
public final class StandInGuestAgent implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One command as received. */
    public record Received(String command, long nanoTime) {
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final List<Received> received = new ArrayList<>();
    private volatile int filesystems = 3;
    private volatile boolean answerFreeze = true;
    private volatile Runnable onFreeze = () -> { };
    private volatile Runnable onThaw = () -> { };
    private boolean frozen;
    private final Thread acceptor;

    public StandInGuestAgent(Path path) throws IOException {
        this.path = path;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        this.acceptor = new Thread(this::accept, "stand-in-qga");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Runs when a freeze arrives, before it is answered (e.g. to look at QEMU's bitmaps then). */
    public StandInGuestAgent onFreeze(Runnable hook) {
        this.onFreeze = hook;
        return this;
    }

    /** Runs when a thaw arrives, before it is answered. */
    public StandInGuestAgent onThaw(Runnable hook) {
        this.onThaw = hook;
        return this;
    }

    /** A guest whose freeze never returns (a hung fsfreeze); everything else is still answered. */
    public StandInGuestAgent neverAnswerFreeze() {
        this.answerFreeze = false;
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<String> commands() {
        return received.stream().map(Received::command).toList();
    }

    public synchronized boolean frozen() {
        return frozen;
    }

    /** Nanoseconds from the first freeze received to the first thaw received. */
    public synchronized long freezeToThawNanos() {
        long freeze = received.stream().filter(r -> r.command().equals("guest-fsfreeze-freeze")).findFirst()
                .orElseThrow().nanoTime();
        long thaw = received.stream().filter(r -> r.command().equals("guest-fsfreeze-thaw")).findFirst()
                .orElseThrow().nanoTime();
        return thaw - freeze;
    }

    private void accept() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                serve(Channels.newInputStream(client), Channels.newOutputStream(client));
            } catch (IOException e) {
                // Closed by the test, or the host agent hung up: wait for the next conversation.
            }
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == 0xFF) {
                line.reset();
            } else if (b == '\n') {
                String answer = answer(line.toString(StandardCharsets.UTF_8));
                line.reset();
                if (answer != null) {
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } else {
                line.write(b);
            }
        }
    }

    private String answer(String text) throws IOException {
        JsonNode request = MAPPER.readTree(text);
        String command = request.path("execute").asText();
        synchronized (this) {
            received.add(new Received(command, System.nanoTime()));
        }
        switch (command) {
            case "guest-sync-delimited":
                return "\u00ff{\"return\": " + request.path("arguments").path("id").asLong() + "}\n";
            case "guest-fsfreeze-freeze":
                onFreeze.run();
                synchronized (this) {
                    if (frozen) {
                        return "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-fsfreeze-freeze "
                                + "has been disabled: the agent is in frozen state\"}}\n";
                    }
                    frozen = true;
                }
                return answerFreeze ? "{\"return\": " + filesystems + "}\n" : null;
            case "guest-fsfreeze-thaw":
                onThaw.run();
                synchronized (this) {
                    int thawed = frozen ? filesystems : 0;
                    frozen = false;
                    return "{\"return\": " + thawed + "}\n";
                }
            default:
                return "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command " + command
                        + " has not been found\"}}\n";
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}

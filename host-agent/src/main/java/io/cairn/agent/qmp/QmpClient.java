package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * One QMP connection to one QEMU: sends commands tagged with an id, matches replies by that id and
 * fans out events. Nothing here blocks the caller: connect and reads happen on the connection's daemon
 * thread {@code qmp-reader-<domain>}, which also completes the returned Unis (so callbacks attached to
 * them must not block; move blocking work off with {@code emitOn}). A reply that is already in when the
 * Uni's callback is attached completes it on the subscribing thread instead. Writes happen on
 * {@code qmp-writer-<domain>} and event delivery on {@code qmp-events-<domain>}.
 */
public final class QmpClient implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(QmpClient.class);

    private final Path socketPath;
    private final String domain;
    private final QmpClientOptions options;
    private final PendingCommands pending;
    private final EventDispatcher events;
    private final CompletableFuture<QmpGreeting> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final QmpWriter writer;
    private volatile SocketChannel channel;
    private volatile boolean closeRequested;
    private volatile boolean ended;

    private QmpClient(Path socketPath, String domain, QmpClientOptions options) {
        this.socketPath = socketPath;
        this.domain = domain;
        this.options = options;
        this.pending = new PendingCommands(domain);
        this.events = new EventDispatcher(domain);
        this.writer = new QmpWriter(domain);
    }

    /** Connects, reads the greeting and negotiates capabilities; the Uni yields a ready client. */
    public static Uni<QmpClient> connect(Path socketPath, String domain, QmpClientOptions options) {
        return Uni.createFrom().deferred(() -> {
            QmpClient client = new QmpClient(socketPath, domain, options);
            return Uni.createFrom().completionStage(client::start)
                    .onFailure(CompletionException.class).transform(Throwable::getCause)
                    .onFailure().invoke(failure -> client.close())
                    // A caller that gives up (e.g. await().atMost) must not leave the reader thread behind.
                    .onCancellation().invoke(client::close);
        });
    }

    public static Uni<QmpClient> connect(Path socketPath, String domain) {
        return connect(socketPath, domain, QmpClientOptions.DEFAULTS);
    }

    /** A fresh, empty arguments object for {@link #execute(String, JsonNode)}. */
    public static ObjectNode arguments() {
        return MAPPER.createObjectNode();
    }

    public String domain() {
        return domain;
    }

    public Path socketPath() {
        return socketPath;
    }

    public QmpClientOptions options() {
        return options;
    }

    /** The greeting QEMU sent on this connection (available once connect() has succeeded). */
    public QmpGreeting greeting() {
        return greeting.isDone() && !greeting.isCompletedExceptionally() ? greeting.join() : null;
    }

    /** Runs a command without arguments; the command is sent when the Uni is subscribed to. */
    public Uni<JsonNode> execute(String command) {
        return execute(command, null, options.commandTimeout());
    }

    public Uni<JsonNode> execute(String command, JsonNode arguments) {
        return execute(command, arguments, options.commandTimeout());
    }

    /**
     * Runs a command and yields its "return" value. Fails with {@link QmpErrorException} (or a subclass)
     * on a QEMU error, {@link QmpTimeoutException} after {@code timeout}, and
     * {@link QmpConnectionLostException} when the connection ends first. Every subscription sends the
     * command again, so do not retry commands that are not idempotent.
     */
    public Uni<JsonNode> execute(String command, JsonNode arguments, Duration timeout) {
        // The caller's trace, taken now: the subscription may happen later on a QMP thread that has none.
        io.opentelemetry.context.Context parent = io.opentelemetry.context.Context.current();
        return Uni.createFrom().deferred(() -> {
            io.opentelemetry.api.trace.Span span = QmpTracing.start(parent, command, domain);
            return Uni.createFrom().completionStage(() -> send(command, arguments, timeout))
                    .onTermination().invoke((reply, failure, cancelled) -> QmpTracing.end(span, failure, cancelled));
        });
    }

    /** Adds a listener for all events of this connection; running the returned handle removes it. */
    public Runnable addEventListener(QmpEventListener listener) {
        return events.add(listener);
    }

    /** Events from the moment of subscription on; completes when the connection ends. */
    public Multi<QmpEvent> events() {
        return Multi.createFrom().emitter(emitter -> {
            Runnable remove = events.add(emitter::emit);
            closed.thenRun(emitter::complete);
            emitter.onTermination(remove);
        });
    }

    public boolean isClosed() {
        return ended;
    }

    /** Completes once the connection has ended and every event received before that has been delivered. */
    public CompletionStage<Void> whenClosed() {
        return closed.minimalCompletionStage();
    }

    /** Closes the socket without waiting; pending commands fail with {@link QmpConnectionLostException}. */
    @Override
    public void close() {
        closeRequested = true;
        closeChannel();
    }

    int pendingCommandCount() {
        return pending.size();
    }

    private CompletionStage<QmpClient> start() {
        Thread reader = new Thread(this::connectAndRead, "qmp-reader-" + domain);
        reader.setDaemon(true);
        reader.start();
        Duration timeout = options.handshakeTimeout();
        ScheduledFuture<?> timer = QmpTimers.schedule(timeout, () -> greeting.completeExceptionally(
                new QmpConnectException("no QMP greeting from " + socketPath + " within " + timeout.toMillis() + " ms", null)));
        greeting.whenComplete((ignored, failure) -> timer.cancel(false));
        return greeting.thenCompose(ignored -> send("qmp_capabilities", null, timeout)).thenApply(ignored -> this);
    }

    private void connectAndRead() {
        SocketChannel opened;
        try {
            opened = SocketChannel.open(StandardProtocolFamily.UNIX);
            opened.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            connectionEnded(new QmpConnectException("cannot connect to " + socketPath + ": " + e.getMessage(), e));
            return;
        }
        channel = opened;
        writer.attach(opened);
        if (closeRequested) {
            closeChannel();
        }
        new QmpSocketReader(MAPPER, new MessageRouter(), options.maxLineBytes()).readUntilClosed(opened);
    }

    private CompletableFuture<JsonNode> send(String command, JsonNode arguments, Duration timeout) {
        PendingCommands.Registration registration = pending.register(command, timeout);
        if (registration.future().isDone()) {
            return registration.future();
        }
        ObjectNode message = MAPPER.createObjectNode().put("execute", command);
        if (arguments != null) {
            message.set("arguments", arguments);
        }
        message.put("id", registration.id());
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            pending.fail(registration.id(), new QmpException("cannot encode " + command, e));
            return registration.future();
        }
        writer.writeLine(json, failure -> pending.fail(registration.id(),
                new QmpConnectionLostException("[" + domain + "] cannot send " + command, failure)));
        return registration.future();
    }

    private void connectionEnded(QmpException cause) {
        ended = true;
        greeting.completeExceptionally(cause);
        pending.failAll(cause);
        closeChannel();
        writer.shutdown();
        // Queued behind the last events, so whenClosed() observers have seen e.g. SHUTDOWN first.
        events.dispatchThenShutdown(() -> closed.complete(null));
    }

    private void closeChannel() {
        SocketChannel current = channel;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debugf(e, "[%s] closing QMP socket", domain);
            }
        }
    }

    /** Routes each decoded message to the greeting, a pending command or the event listeners. */
    private final class MessageRouter implements QmpSocketReader.Sink {

        @Override
        public void onMessage(JsonNode message) {
            QmpTracing.forgetThreadContext();
            if (message.has("QMP")) {
                greeting.complete(QmpGreeting.fromJson(message));
            } else if (message.has("event")) {
                events.dispatch(QmpEvent.fromJson(message));
            } else if (message.has("return") || message.has("error")) {
                routeReply(message);
            } else {
                LOG.warnf("[%s] unexpected QMP message %s", domain, message);
            }
        }

        @Override
        public void onEndOfStream(Throwable cause) {
            String why = closeRequested ? "connection closed by client"
                    : cause == null ? "QEMU closed the monitor connection"
                    : cause instanceof QmpLineTooLongException ? cause.getMessage()
                    : "monitor connection failed: " + cause;
            connectionEnded(new QmpConnectionLostException("[" + domain + "] " + why, cause));
        }

        private void routeReply(JsonNode message) {
            JsonNode id = message.get("id");
            if (id == null || !id.canConvertToLong()) {
                // QEMU omits the id only when it could not parse the request at all.
                LOG.warnf("[%s] QMP reply without a usable id: %s", domain, message);
                return;
            }
            if (message.has("error")) {
                pending.completeWithError(id.asLong(), message.get("error"));
            } else {
                pending.complete(id.asLong(), message.get("return"));
            }
        }
    }
}

package io.cairn.agent.qmp;

import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Remembers where a QEMU's monitor is, so the agent can open a fresh client after the old one lost its
 * connection (QEMU accepts a new client on a server=on socket once the previous one is gone).
 */
public final class QmpConnector {

    private final Path socketPath;
    private final String domain;
    private final QmpClientOptions options;

    public QmpConnector(Path socketPath, String domain, QmpClientOptions options) {
        this.socketPath = socketPath;
        this.domain = domain;
        this.options = options;
    }

    public Uni<QmpClient> connect() {
        return QmpClient.connect(socketPath, domain, options);
    }

    /**
     * Connects, retrying failed connection attempts with exponential back-off (capped at 16 times the
     * first delay); QEMU errors are not retried.
     */
    public Uni<QmpClient> connectWithRetry(int attempts, Duration firstBackoff) {
        return connect()
                .onFailure(failure -> failure instanceof QmpConnectException || failure instanceof QmpConnectionLostException
                        || failure instanceof QmpTimeoutException)
                .retry().withBackOff(firstBackoff, firstBackoff.multipliedBy(16)).atMost(attempts);
    }
}

package io.cairn.agent.domain;

import io.cairn.agent.config.AgentConfig;
import io.cairn.agent.qmp.QmpClient;
import io.cairn.agent.qmp.QmpClientOptions;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Knows which domains run on this host (one QMP socket {@code <domain>.qmp} each in the configured
 * directory) and hands out one shared, lazily (re)opened connection per domain: a QMP socket accepts a
 * single client, so every operation on a domain must go through the same connection.
 */
@ApplicationScoped
public class DomainRegistry {

    private static final String SOCKET_SUFFIX = ".qmp";

    private final String hostId;
    private final Path socketDir;
    private final QmpClientOptions options;
    private final ConcurrentMap<String, Uni<DomainConnection>> connections = new ConcurrentHashMap<>();

    @Inject
    public DomainRegistry(AgentConfig config) {
        this(config.hostId(), config.qmpSocketDir(), QmpClientOptions.DEFAULTS.withCommandTimeout(config.commandTimeout()));
    }

    public DomainRegistry(String hostId, Path socketDir, QmpClientOptions options) {
        this.hostId = hostId;
        this.socketDir = socketDir;
        this.options = options;
    }

    public String hostId() {
        return hostId;
    }

    /**
     * The connection to a running domain, connecting (again) if there is none or the old one has ended.
     * Fails with VIR_ERR_NO_DOMAIN when the domain has no listening QMP socket here.
     */
    public Uni<DomainConnection> connection(String domain) {
        return Uni.createFrom().deferred(() -> {
            if (!isSafeName(domain)) {
                return Uni.createFrom().failure(noDomain(domain));
            }
            return connections.compute(domain, (name, existing) -> existing != null && !endedOrFailed(existing)
                    ? existing : connect(name)).onFailure().invoke(failure -> connections.remove(domain));
        });
    }

    /** {@link #domainNames()} off the caller's thread: listing a directory is blocking I/O. */
    public Uni<List<String>> listDomains() {
        return Uni.createFrom().item(this::domainNames).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Domains with a QMP socket in the directory now (whether QEMU still listens is found out on connect). */
    public List<String> domainNames() {
        if (!Files.isDirectory(socketDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(socketDir)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(SOCKET_SUFFIX))
                    .map(name -> name.substring(0, name.length() - SOCKET_SUFFIX.length()))
                    .filter(DomainRegistry::isSafeName)
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public CairnException noDomain(String domain) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN,
                "domain '%s' is not running on host '%s'".formatted(domain, hostId));
    }

    @PreDestroy
    public void closeAll() {
        connections.values().forEach(uni -> uni.subscribe().with(connection -> connection.client().close(), failure -> { }));
        connections.clear();
    }

    private Uni<DomainConnection> connect(String domain) {
        Path socket = socketDir.resolve(domain + SOCKET_SUFFIX);
        // memoize: concurrent callers share one connect; a failed or closed one is replaced on the next call.
        return Uni.createFrom().deferred(() -> Files.exists(socket)
                        ? QmpClient.connect(socket, domain, options)
                        : Uni.createFrom().failure(noDomain(domain)))
                .onFailure(failure -> !(failure instanceof CairnException)).transform(failure -> noDomain(domain))
                .map(client -> new DomainConnection(domain, client))
                .memoize().indefinitely();
    }

    private static boolean endedOrFailed(Uni<DomainConnection> memoized) {
        // A memoized Uni that has already completed answers at once; an unfinished connect is kept.
        DomainConnection[] seen = new DomainConnection[1];
        boolean[] failed = new boolean[1];
        memoized.subscribe().with(connection -> seen[0] = connection, failure -> failed[0] = true);
        return failed[0] || (seen[0] != null && !seen[0].isOpen());
    }

    private static boolean isSafeName(String domain) {
        return domain != null && !domain.isEmpty() && !domain.contains("/") && !domain.startsWith(".");
    }
}

package io.cairn.backup.service;

import io.cairn.backup.config.BackupLimitsConfig;
import io.cairn.backup.repository.RestoreJobRepository;
import io.cairn.events.command.VerifyBeginCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Verifies on its own what nobody verified lately: every {@code cairn.backup.verify-interval}, each domain holding an
 * artifact no verify has read within that interval gets a verify of all its artifacts (unless one runs), so a file
 * damaged on disk is found before someone needs it. Its verify-completed carries a {@code scheduled-verify-} id.
 */
@ApplicationScoped
public class VerifySchedule {
    private static final Logger LOG = Logger.getLogger(VerifySchedule.class);
    /** The commandId prefix of the verifies the schedule starts. */
    public static final String COMMAND_PREFIX = "scheduled-verify-";

    @Inject
    ArtifactCatalog catalog;

    @Inject
    VerifyCommands verifies;

    @Inject
    RestoreJobRepository restores;

    @Inject
    BackupLimitsConfig limits;

    @Inject
    io.cairn.core.agent.HostDirectory hosts;

    @Inject
    Clock clock;

    @Scheduled(every = "${cairn.backup.verify-interval:24h}", delayed = "${cairn.backup.verify-interval:24h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> verifyDue() {
        return runNow().onFailure().recoverWithItem(failure -> {
            LOG.warnf("scheduled verify failed: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Starts a verify of every domain due; answers how many it started. */
    public Uni<Integer> runNow() {
        return runNow(limits.verifyInterval());
    }

    /**
     * Starts a verify of every domain holding an artifact not verified within {@code interval} whose host's agent is
     * alive (a host that is down would only time the verify out); answers how many it started.
     */
    public Uni<Integer> runNow(java.time.Duration interval) {
        java.time.Instant now = clock.instant();
        return catalog.domainsUnverifiedSince(now.minus(interval))
                .map(due -> due.stream().filter(domainHost -> hosts.lastSeen(domainHost.hostId())
                        .filter(seen -> seen.isAfter(now.minus(limits.agentAlive()))).isPresent())
                        .map(ArtifactCatalog.DomainOnHost::domain).distinct().toList())
                .flatMap(domains -> domains.isEmpty() ? Uni.createFrom().item(java.util.List.<Boolean>of())
                        : Multi.createFrom().iterable(domains)
                        // One after the other: concurrent ones would share this context's database session.
                        .onItem().transformToUniAndConcatenate(this::verifyUnlessRunning)
                        .collect().asList())
                .map(started -> (int) started.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> verifyUnlessRunning(String domain) {
        return Panache.withSession(() -> restores.verifying(domain)).flatMap(running -> {
            if (running) {
                return Uni.createFrom().item(false);
            }
            String commandId = COMMAND_PREFIX + UUID.randomUUID();
            LOG.infof("scheduled verify %s of %s", commandId, domain);
            return verifies.begin(new VerifyBeginCommand(commandId, domain, null)).replaceWith(true)
                    .onFailure().recoverWithItem(failure -> {
                        LOG.warnf("scheduled verify of %s not started: %s", domain, failure.getMessage());
                        return false;
                    });
        });
    }
}

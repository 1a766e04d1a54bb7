package io.cairn.core.command;

import io.cairn.core.config.CommandsConfig;
import io.cairn.core.failure.FailureClass;
import io.cairn.core.failure.Failures;
import io.cairn.core.outbox.OutboxRelay;
import io.cairn.events.command.Command;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one way a command is applied, from Kafka or REST, in both services: claimed once per commandId before any
 * side effect (a concurrent delivery waits, it never acts), answered exactly once (a duplicate gets the first
 * outcome again), a permanent failure answered at once with command-rejected, a transient one retried with bounded
 * backoff until a deadline, after which it too is answered.
 */
@ApplicationScoped
public class IdempotentCommands {
    private static final Logger LOG = Logger.getLogger(IdempotentCommands.class);

    @Inject
    CommandOutcomes outcomes;

    @Inject
    OutboxRelay relay;

    @Inject
    CommandsConfig config;

    /**
     * The command's outcome: its first outcome if it has one, else what {@code work} answers (null when its outcome
     * comes later). Transient failures are retried here; past the deadline the command is answered with a
     * command-rejected published directly (the outbox may be what is away).
     */
    public Uni<CairnEvent> handle(Command command, CommandWork work) {
        String token = UUID.randomUUID().toString(); // one per delivery: its own retries keep the claim
        return retried(() -> handleOnce(command, token, work), command.commandId(), command.type(), command.domain(),
                failure -> CommandRejectedEvent.of(command, gaveUpError(command.type(), failure)));
    }

    /** A rejection found before the command could be applied (malformed value, bad flags): answered once. */
    public Uni<CairnEvent> reject(CommandRejectedEvent rejection) {
        return retried(() -> rejectOnce(rejection), rejection.commandId(), rejection.commandType(),
                rejection.domain(), failure -> rejection);
    }

    private Uni<CairnEvent> rejectOnce(CommandRejectedEvent rejection) {
        if (rejection.commandId() == null) {
            return outcomes.publish(rejection).replaceWith((CairnEvent) rejection).invoke(relay::kick);
        }
        String type = rejection.commandType() == null ? "unknown" : rejection.commandType();
        return outcomes.find(rejection.commandId())
                .flatMap(seen -> seen != null ? outcomes.republish(seen)
                        : outcomes.record(rejection.commandId(), rejection.domain(), type, rejection))
                .onFailure(f -> Failures.violates(f, ProcessedCommandRepository.PRIMARY_KEY))
                .recoverWithUni(f -> outcomes.find(rejection.commandId()))
                .invoke(relay::kick);
    }

    /**
     * Retries transient failures with bounded backoff, on the caller's Vert.x context (a retry's back-off would
     * otherwise resume on a Mutiny worker thread, where Hibernate Reactive refuses to run); past the deadline the
     * command is answered with {@code lastAnswer}, published directly since the outbox may be what is away.
     */
    private Uni<CairnEvent> retried(Supplier<Uni<CairnEvent>> attempt, String commandId, String type, String domain,
            Function<Throwable, CommandRejectedEvent> lastAnswer) {
        Context context = Vertx.currentContext();
        Uni<CairnEvent> once = Uni.createFrom().deferred(attempt::get);
        Uni<CairnEvent> onContext = context == null ? once
                : once.runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()));
        return onContext
                .onFailure(Failures::isTransient).invoke(failure -> LOG.infof("command %s (%s of %s): %s; retrying",
                        commandId, type, domain, failure.getMessage()))
                .onFailure(Failures::isTransient).retry().withBackOff(config.retryFirst(), config.retryMax())
                .expireIn(config.retryDeadline().toMillis())
                .onFailure(Failures::isTransient).recoverWithUni(failure -> {
                    LOG.errorf(failure, "command %s (%s of %s) still failing after %s; answering it as failed",
                            commandId, type, domain, config.retryDeadline());
                    CommandRejectedEvent rejection = lastAnswer.apply(failure);
                    return relay.publishNow(rejection).replaceWith((CairnEvent) rejection);
                });
    }

    private Uni<CairnEvent> handleOnce(Command command, String token, CommandWork work) {
        return outcomes.claim(command.commandId(), command.domain(), command.type(), token)
                .flatMap(claim -> {
                    if (claim.outcome() != null) {
                        return outcomes.republish(claim.outcome());
                    }
                    if (!claim.held()) {
                        return work.whileHeldElsewhere(command);
                    }
                    return applyHeld(command, work);
                })
                .invoke(relay::kick);
    }

    private Uni<CairnEvent> applyHeld(Command command, CommandWork work) {
        return Uni.createFrom().deferred(() -> work.apply(command))
                // A refused or broken command changes nothing; its rejection is recorded in a transaction of its
                // own, so a database error that aborted the work's transaction cannot take the rejection down.
                .onFailure(f -> Failures.classify(f) == FailureClass.PERMANENT)
                .recoverWithUni(failure -> outcomes.record(command.commandId(), command.domain(), command.type(),
                        CommandRejectedEvent.of(command, asLibvirtError(command, failure))))
                // Two deliveries recording at once (a claim taken over from a claimer that was only slow): the first
                // answer stands.
                .onFailure(f -> Failures.violates(f, ProcessedCommandRepository.PRIMARY_KEY))
                .recoverWithUni(failure -> outcomes.find(command.commandId()));
    }

    private CairnException gaveUpError(String type, Throwable failure) {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_FAILED, "operation failed: " + type
                + " could not be applied within " + config.retryDeadline().toSeconds() + " s: " + failure.getMessage());
    }

    private static CairnException asLibvirtError(Command command, Throwable failure) {
        CairnException libvirt = Failures.causeOf(failure, CairnException.class);
        if (libvirt != null) {
            return libvirt;
        }
        LOG.errorf(failure, "command %s (%s of %s) failed unexpectedly", command.commandId(), command.type(),
                command.domain());
        return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "internal error: " + failure);
    }
}

package io.cairn.core.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.core.config.CommandsConfig;
import io.cairn.core.outbox.EventOutbox;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.json.CairnJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The one record of which commands were claimed and answered (processed_command), written together with the
 * outcome event in the outbox, so an outcome commits with the change it reports and exactly once per commandId.
 */
@ApplicationScoped
public class CommandOutcomes {

    /** A claimed command's first answer; no row when it has none yet (not claimed) or has an answer already. */
    private static final String ANSWER_CLAIMED = """
            UPDATE processed_command SET outcome = :outcome, processed_at = :now, claim_token = NULL,
                   domain = :domain, command_type = :type
             WHERE command_id = :id AND outcome IS NULL""";

    /**
     * One statement claims: a new row; or the row of this delivery's own earlier try; or one whose claimer has not
     * answered within the lease (it died). An answered row is never claimed again.
     */
    private static final String CLAIM = """
            insert into processed_command (command_id, domain, command_type, outcome, processed_at, claim_token)
            values (:id, :domain, :type, null, :now, :token)
            on conflict (command_id) do update set processed_at = excluded.processed_at,
                claim_token = excluded.claim_token
            where processed_command.outcome is null
              and (processed_command.claim_token = excluded.claim_token or processed_command.processed_at < :stale)
            returning command_id""";

    @Inject
    ProcessedCommandRepository processed;

    @Inject
    EventOutbox outbox;

    @Inject
    CommandsConfig config;

    /** Claims the command for the delivery holding {@code token}, or says who has it. */
    public Uni<Claim> claim(String commandId, String domain, String type, String token) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery(CLAIM)
                        .setParameter("id", commandId).setParameter("domain", domain).setParameter("type", type)
                        .setParameter("now", now).setParameter("token", token)
                        .setParameter("stale", now.minus(config.claimLease()))
                        .getResultList()))
                .flatMap(claimed -> !((List<?>) claimed).isEmpty() ? Uni.createFrom().item(Claim.HELD)
                        : find(commandId).map(outcome -> outcome != null ? Claim.answered(outcome)
                                : Claim.HELD_ELSEWHERE));
    }

    /**
     * Records {@code outcome} as the command's one answer and puts it in the outbox; joins the caller's transaction
     * if there is one, so the outcome commits with the change it reports. A command answered already keeps its
     * first answer, and nothing is added to the outbox.
     */
    public Uni<CairnEvent> record(String commandId, String domain, String type, CairnEvent outcome) {
        String json;
        try {
            json = CairnJson.mapper().writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // The usual case, a claimed command answered for the first time, in one round trip; anything else (no claim
        // row, an answer already there) takes the longer way below.
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery(ANSWER_CLAIMED)
                        .setParameter("id", commandId).setParameter("domain", domain).setParameter("type", type)
                        .setParameter("outcome", json).setParameter("now", now)
                        .executeUpdate())
                .flatMap(answered -> answered > 0 ? outbox.add(outcome).replaceWith(outcome)
                        : recordUnclaimed(commandId, domain, type, outcome, json, now)));
    }

    private Uni<CairnEvent> recordUnclaimed(String commandId, String domain, String type, CairnEvent outcome,
            String json, OffsetDateTime now) {
        return processed.findById(commandId).flatMap(row -> {
            if (row != null && row.outcome != null) {
                return Uni.createFrom().item(outcome);
            }
            ProcessedCommand answered = row != null ? row : new ProcessedCommand();
            answered.commandId = commandId;
            answered.domain = domain;
            answered.commandType = type;
            answered.processedAt = now;
            answered.claimToken = null;
            answered.outcome = json;
            Uni<?> saved = row != null ? Uni.createFrom().item(answered) : processed.persist(answered);
            return saved.flatMap(ignored -> outbox.add(outcome)).replaceWith(outcome);
        });
    }

    /** Whether the command has an outcome already (an event of its own or of the work it started). */
    public Uni<Boolean> isAnswered(String commandId) {
        return find(commandId).map(outcome -> outcome != null);
    }

    /** An event that answers no command of its own (progress, completion, health). */
    public Uni<Void> publish(CairnEvent event) {
        return Panache.withTransaction(() -> outbox.add(event));
    }

    /** The first outcome again, with the same eventId: the sender may have missed it, consumers dedupe. */
    public Uni<CairnEvent> republish(CairnEvent seen) {
        return publish(seen).replaceWith(seen);
    }

    /** The first outcome of a command, or null while it has none. */
    public Uni<CairnEvent> find(String commandId) {
        return Panache.withSession(() -> processed.findById(commandId)).map(seen -> {
            if (seen == null || seen.outcome == null) {
                return null;
            }
            try {
                return CairnJson.mapper().readValue(seen.outcome, CairnEvent.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable outcome of command " + commandId, e);
            }
        });
    }
}

package io.cairn.checkpoint.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cairn.events.json.CairnJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Lineages set aside because their domain came back as another VM (another UUID): moved out of the live tables in
 * the lineage change's transaction, kept as they were, and listed; never read as a domain's lineage again.
 */
@ApplicationScoped
public class RetiredLineages {

    /** A retired lineage as listed: whose it was, when it was retired, and its checkpoints as they were. */
    public record Retired(String domain, String uuid, String newUuid, OffsetDateTime retiredAt,
            String currentCheckpoint, List<Map<String, Object>> checkpoints) {
    }

    /**
     * Moves the domain's checkpoints into a retired lineage and returns their names, oldest first. Runs inside the
     * lineage change's transaction, holding the domain's row lock.
     */
    Uni<List<String>> retire(String domain, String uuid, String newUuid, String currentCheckpoint) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select name from checkpoint where domain = ?1 order by id", String.class)
                .setParameter(1, domain).getResultList()
                .call(names -> session.createNativeQuery("insert into retired_lineage (domain, uuid, new_uuid, "
                                + "retired_at, current_checkpoint, checkpoints) select ?1, ?2, ?3, now(), ?4, "
                                + "coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('name', name, 'parent', "
                                + "parent_name, 'creationTime', creation_time, 'description', description, 'disks', "
                                + "disks -> 'disks', 'health', health, 'brokenDisks', broken_disks -> 'brokenDisks')) "
                                + "order by id), '[]'::jsonb) from checkpoint where domain = ?1")
                        .setParameter(1, domain).setParameter(2, uuid).setParameter(3, newUuid)
                        .setParameter(4, currentCheckpoint).executeUpdate())
                .call(names -> session.createNativeQuery("delete from checkpoint where domain = ?1")
                        .setParameter(1, domain).executeUpdate()));
    }

    /** The domain's retired lineages, newest first. */
    public Uni<List<Retired>> list(String domain) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "select uuid, new_uuid, retired_at, current_checkpoint, checkpoints::text from retired_lineage "
                                + "where domain = ?1 order by retired_at desc, id desc", Object[].class)
                .setParameter(1, domain).getResultList()))
                .map(rows -> rows.stream().map(row -> new Retired(domain, (String) row[0], (String) row[1],
                        toOffset(row[2]), (String) row[3], checkpoints((String) row[4]))).toList());
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset;
        }
        if (value instanceof java.time.Instant instant) {
            return instant.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.atOffset(java.time.ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString());
    }

    private static List<Map<String, Object>> checkpoints(String json) {
        try {
            return CairnJson.mapper().readValue(json, new TypeReference<>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException("retired lineage checkpoints unreadable", e);
        }
    }
}

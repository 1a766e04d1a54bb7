package io.cairn.backup.service;

import io.cairn.backup.repository.RetentionPolicyEntity;
import io.cairn.backup.repository.RetentionPolicyRepository;
import io.cairn.backup.service.retention.RetentionPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The domains' retention policies: set, read and removed by operators, read by retention runs and backup begins. */
@ApplicationScoped
public class RetentionPolicies {

    private final RetentionPolicyRepository policies;

    public RetentionPolicies(RetentionPolicyRepository policies) {
        this.policies = policies;
    }

    /** The domain's policy; call inside a session. */
    public Uni<Optional<RetentionPolicy>> findInSession(String domain) {
        return policies.findById(domain).map(row -> Optional.ofNullable(row).map(RetentionPolicies::model));
    }

    public Uni<Optional<RetentionPolicy>> find(String domain) {
        return Panache.withSession(() -> findInSession(domain));
    }

    /** Sets (or replaces) the domain's policy; the next retention run applies it. */
    public Uni<RetentionPolicy> put(String domain, RetentionPolicy policy, String by, Instant now) {
        return Panache.withTransaction(() -> policies.findById(domain).chain(existing -> {
            RetentionPolicyEntity row = existing != null ? existing : new RetentionPolicyEntity();
            row.domain = domain;
            row.keepLast = policy.keepLast();
            row.keepDaily = policy.keepDaily();
            row.keepWeekly = policy.keepWeekly();
            row.fullEvery = policy.fullEvery();
            row.maxChainBytes = policy.maxChainBytes();
            row.updatedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            row.updatedBy = by;
            return existing != null ? Uni.createFrom().item(row) : policies.persist(row);
        })).replaceWith(policy);
    }

    /** Removes the domain's policy: nothing is pruned any more. True when there was one. */
    public Uni<Boolean> delete(String domain) {
        return Panache.withTransaction(() -> policies.deleteById(domain));
    }

    private static RetentionPolicy model(RetentionPolicyEntity row) {
        return new RetentionPolicy(row.keepLast, row.keepDaily, row.keepWeekly, row.fullEvery, row.maxChainBytes);
    }
}

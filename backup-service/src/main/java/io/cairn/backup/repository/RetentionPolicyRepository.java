package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Retention policies by domain. */
@ApplicationScoped
public class RetentionPolicyRepository implements PanacheRepositoryBase<RetentionPolicyEntity, String> {
}

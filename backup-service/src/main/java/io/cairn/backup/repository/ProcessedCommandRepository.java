package io.cairn.backup.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Looks up and records applied commands by their commandId. */
@ApplicationScoped
public class ProcessedCommandRepository implements PanacheRepositoryBase<ProcessedCommand, String> {
}

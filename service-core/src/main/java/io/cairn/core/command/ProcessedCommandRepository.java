package io.cairn.core.command;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Looks up and records claimed and answered commands by their commandId. */
@ApplicationScoped
public class ProcessedCommandRepository implements PanacheRepositoryBase<ProcessedCommand, String> {
    /** The primary key: violated when two deliveries of one commandId record at once. */
    public static final String PRIMARY_KEY = "processed_command_pkey";
}

package io.cairn.checkpoint.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Looks up and records applied commands by their commandId. */
@ApplicationScoped
public class ProcessedCommandRepository implements PanacheRepositoryBase<ProcessedCommand, String> {
    private static final String PRIMARY_KEY = "processed_command_pkey";

    /** True when {@code failure} is the primary-key violation of a commandId recorded concurrently. */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains(PRIMARY_KEY)) {
                return true;
            }
        }
        return false;
    }
}

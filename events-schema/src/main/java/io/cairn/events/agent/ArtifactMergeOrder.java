package io.cairn.events.agent;

import java.util.List;

/**
 * One merge step of a retention run: rewrite {@code successor}, stacked on {@code expired}, to stand on
 * {@code base.get(0)} (alone when {@code base} is empty) with the same content.
 *
 * @param base the chain under the expired link, nearest first, down to its full; empty when the expired link is a full
 */
public record ArtifactMergeOrder(String disk, String successor, String expired, List<String> base) {
    public ArtifactMergeOrder {
        base = base == null ? List.of() : List.copyOf(base);
    }
}

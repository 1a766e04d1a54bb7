package io.cairn.core.command;

import io.cairn.events.event.CairnEvent;

/**
 * What a delivery found when it claimed its commandId.
 *
 * @param outcome the command's first outcome when it was answered already; null otherwise
 * @param held true when this delivery now holds the command (new, its own retry, or taken over from a dead one)
 */
public record Claim(CairnEvent outcome, boolean held) {
    static Claim answered(CairnEvent outcome) {
        return new Claim(outcome, false);
    }

    static final Claim HELD = new Claim(null, true);
    static final Claim HELD_ELSEWHERE = new Claim(null, false);
}

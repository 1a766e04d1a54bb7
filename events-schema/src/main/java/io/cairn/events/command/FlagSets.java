package io.cairn.events.command;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Normalises flag collections to immutable sets in declaration order, so equal commands serialize identically. */
final class FlagSets {
    private FlagSets() {
    }

    static <E extends Enum<E>> Set<E> copyOf(Class<E> type, Collection<E> flags) {
        EnumSet<E> copy = EnumSet.noneOf(type);
        if (flags != null) {
            for (E flag : flags) {
                if (flag == null) {
                    throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "flags must not contain null");
                }
                copy.add(flag);
            }
        }
        return Collections.unmodifiableSet(copy);
    }
}

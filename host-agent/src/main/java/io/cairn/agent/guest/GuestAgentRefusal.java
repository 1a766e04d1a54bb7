package io.cairn.agent.guest;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/**
 * The guest agent answered a command with an error, so it did not do it (qemu-ga undoes a freeze that failed half-way
 * before it answers); unlike no answer or an unreadable one, after which the guest may well be frozen.
 */
public final class GuestAgentRefusal extends CairnException {

    GuestAgentRefusal(String message) {
        super(VirErrorCode.VIR_ERR_INTERNAL_ERROR, message);
    }
}

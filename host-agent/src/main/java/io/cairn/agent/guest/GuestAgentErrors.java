package io.cairn.agent.guest;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/** libvirt 9.0's errors for the guest agent (qemu_agent.c, qemu_domain.c), so callers can handle them alike. */
public final class GuestAgentErrors {

    private GuestAgentErrors() {
    }

    /** libvirt: the domain XML has no org.qemu.guest_agent.0 channel. */
    public static CairnException notConfigured() {
        return new CairnException(VirErrorCode.VIR_ERR_ARGUMENT_UNSUPPORTED,
                "argument unsupported: QEMU guest agent is not configured");
    }

    /** libvirt: the channel exists but no agent is connected in the guest (nothing answers guest-sync). */
    public static CairnException notConnected() {
        return new CairnException(VirErrorCode.VIR_ERR_AGENT_UNRESPONSIVE,
                "Guest agent is not responding: QEMU guest agent is not connected");
    }

    /** libvirt's "Guest agent not available for now", with which command went unanswered and for how long. */
    public static CairnException noAnswer(String command, java.time.Duration waited) {
        return new CairnException(VirErrorCode.VIR_ERR_AGENT_UNRESPONSIVE,
                "Guest agent is not responding: Guest agent not available for now (no answer to '" + command
                        + "' within " + waited.toMillis() + " ms)");
    }

    /** libvirt: the agent went away (its socket closed or failed) while a command ran. */
    public static CairnException disappeared(String command) {
        return new CairnException(VirErrorCode.VIR_ERR_AGENT_UNRESPONSIVE,
                "Guest agent is not responding: Guest agent disappeared while executing command '" + command + "'");
    }

    /** libvirt's qemuAgentCheckError: the guest agent answered with an error. */
    public static GuestAgentRefusal commandFailed(String command, String desc) {
        return new GuestAgentRefusal("unable to execute QEMU agent command '" + command + "': " + desc);
    }

    /** An answer that is no answer of the command (not JSON, no count): what the guest did is unknown. */
    public static CairnException malformed(String command, String answer) {
        return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR,
                "unable to execute QEMU agent command '" + command + "': unexpected answer " + answer);
    }
}

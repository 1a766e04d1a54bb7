package io.cairn.agent.guest;

/** Opens a conversation with a domain's guest agent; an interface so the quiesce sequence is testable alone. */
@FunctionalInterface
public interface GuestAgentConnector {

    /**
     * Fails with {@link GuestAgentErrors#notConfigured()} when the domain has no guest-agent channel and with
     * {@link GuestAgentErrors#notConnected()} when nothing serves it.
     */
    GuestAgentSession open(String domain);
}

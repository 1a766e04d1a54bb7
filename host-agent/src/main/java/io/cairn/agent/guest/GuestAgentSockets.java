package io.cairn.agent.guest;

import io.cairn.agent.config.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Finds a domain's guest-agent channel by the agent's one convention: {@code <domain>.qga} beside its
 * {@code <domain>.qmp}, the unix socket QEMU listens on for the {@code org.qemu.guest_agent.0} virtio-serial port.
 * No socket there is libvirt's "not configured"; a socket nobody listens on is "not connected".
 */
@ApplicationScoped
public class GuestAgentSockets implements GuestAgentConnector {

    /** The suffix of a domain's guest-agent socket in the QMP socket directory. */
    public static final String SUFFIX = ".qga";

    private final Path socketDir;

    @Inject
    public GuestAgentSockets(AgentConfig config) {
        this(config.qmpSocketDir());
    }

    public GuestAgentSockets(Path socketDir) {
        this.socketDir = socketDir;
    }

    /** Where the domain's guest-agent socket is, whether or not it exists. */
    public Path socketOf(String domain) {
        return socketDir.resolve(domain + SUFFIX);
    }

    @Override
    public GuestAgentSession open(String domain) {
        Path socket = socketOf(domain);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw GuestAgentErrors.notConfigured();
        }
        return GuestAgentSocket.connect(socket);
    }
}

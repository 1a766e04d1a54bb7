package io.cairn.agent.storage;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Keeps pull-backup NBD servers off interfaces the operator did not open for backup traffic. */
@ApplicationScoped
public class NbdAddressPolicy {

    private final List<String> allowed;

    @Inject
    public NbdAddressPolicy(AgentConfig config) {
        this(config.nbdBindAddresses());
    }

    public NbdAddressPolicy(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    public void checkTcpBind(String host, Integer port) {
        if (port == null || port <= 0) {
            // libvirt's exact words for a TCP server without a port.
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "<domainbackup> must specify TCP port for now");
        }
        if (host == null || !allowed.contains(host)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                    "NBD server address '%s' is not an allowed bind address of this host".formatted(host));
        }
    }
}

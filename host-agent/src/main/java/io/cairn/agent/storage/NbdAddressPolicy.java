package io.cairn.agent.storage;

import io.cairn.agent.config.AgentConfig;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Keeps pull-backup NBD servers off interfaces the operator did not open for backup traffic. */
@ApplicationScoped
public class NbdAddressPolicy {

    private final List<String> allowed;
    private final boolean allowWildcard;

    @Inject
    public NbdAddressPolicy(AgentConfig config) {
        this(config.nbdBindAddresses(), config.nbd().allowWildcardBind());
    }

    public NbdAddressPolicy(List<String> allowed, boolean allowWildcard) {
        this.allowed = List.copyOf(allowed);
        this.allowWildcard = allowWildcard;
    }

    public void checkTcpBind(String host, Integer port) {
        if (port == null || port <= 0) {
            // libvirt's exact words for a TCP server without a port.
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED, "<domainbackup> must specify TCP port for now");
        }
        // Before the list: a wildcard listed by mistake must still not open every interface unless said so.
        if (host != null && isWildcard(host) && !allowWildcard) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                    "NBD server address '%s' binds every interface of the host; name one address".formatted(host));
        }
        if (host == null || !allowed.contains(host)) {
            throw new CairnException(VirErrorCode.VIR_ERR_OPERATION_DENIED,
                    "NBD server address '%s' is not an allowed bind address of this host".formatted(host));
        }
    }

    /**
     * Whether QEMU would listen on every interface for this host: empty, an IPv6 literal of {@code ::} in any
     * spelling, or an IPv4 literal of 0.0.0.0 in any form getaddrinfo accepts ({@code 0}, {@code 0x0}, {@code 0.0}).
     * Never resolves a name: a name is not a wildcard, and the allow-list decides about it.
     */
    static boolean isWildcard(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.isEmpty()) {
            return true;
        }
        if (literal.contains(":")) {
            // An IPv6 literal is parsed without a lookup; a malformed one is not an address at all.
            try {
                return InetAddress.getByName("[" + literal + "]").isAnyLocalAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        String[] parts = literal.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (String part : parts) {
            if (!isZero(part)) {
                return false;
            }
        }
        return true;
    }

    /** inet_aton's number forms: decimal, octal with a leading 0, hex with 0x. */
    private static boolean isZero(String part) {
        String digits = part.startsWith("0x") || part.startsWith("0X") ? part.substring(2) : part;
        return !part.isEmpty() && digits.chars().allMatch(c -> c == '0');
    }
}

package io.cairn.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The host agent's settings: who it is, where its QEMUs listen, and the limits its operations must respect. */
@ConfigMapping(prefix = "cairn.agent")
public interface AgentConfig {

    /** This host's id; requests for another host are not ours. */
    @WithDefault("localhost")
    String hostId();

    /** Directory holding one QMP socket per running domain, named {@code <domain>.qmp}. */
    @WithDefault("/run/cairn/qmp")
    Path qmpSocketDir();

    /** Backup targets, scratch images and NBD unix sockets must lie under one of these directories. */
    @WithDefault("/var/lib/cairn/backups")
    List<Path> storageRoots();

    /** Addresses an NBD server of a pull backup may bind to over TCP. */
    @WithDefault("127.0.0.1")
    List<String> nbdBindAddresses();

    /** How the NBD servers of pull backups are protected ({@code cairn.agent.nbd.*}). */
    Nbd nbd();

    /** How checkpoint QUIESCE talks to a domain's QEMU guest agent ({@code cairn.agent.guest-agent.*}). */
    GuestAgent guestAgent();

    /** Backup jobs that may run at once on this host; more are refused with VIR_ERR_RESOURCE_BUSY. */
    @WithDefault("4")
    int maxConcurrentJobs();

    /** Timeout of one QMP command. */
    @WithDefault("30s")
    Duration commandTimeout();

    /** libvirt's backup_tls_x509_cert_dir: certificates for TLS NBD exports; unset means TLS is refused. */
    Optional<Path> tlsX509Dir();

    /** Minimum time between two progress reports of one backup job. */
    @WithDefault("1s")
    Duration progressInterval();

    /** How often the reconciler looks for leftovers of jobs the agent does not know. */
    @WithDefault("60s")
    Duration reconcileInterval();

    /** Bandwidth limit of each per-disk backup job in bytes/s (QEMU's {@code speed}); 0 = unlimited. */
    @WithDefault("0")
    long jobSpeed();

    /**
     * How fast a copy restore may write, in bytes/s ({@code qemu-img convert -r}), so a restore leaves the host's
     * disks to its running VMs; 0 = unlimited.
     */
    @WithDefault("0")
    long restoreRateLimit();

    /** The protection of pull-backup NBD servers: who may connect, how many at once, and on which address. */
    interface Nbd {

        /**
         * Clients one NBD server serves at once (QEMU's {@code max-connections}), so one reader cannot take every
         * slot of the host's disk bandwidth; while it is reached, QEMU accepts no further connection until one ends.
         */
        @WithDefault("4")
        int maxConnections();

        /**
         * Serve a TCP export whose backup XML does not ask for TLS as plain NBD, without the per-job key: anyone who
         * reaches the port reads the whole disk. Off by default; when on, every such start is logged as a warning.
         */
        @WithDefault("false")
        boolean allowPlain();

        /**
         * Let an NBD server bind a wildcard address (0.0.0.0, ::), i.e. every interface of the host, if it is also
         * listed in {@code nbd-bind-addresses}; off, such a request is refused with VIR_ERR_INVALID_ARG.
         */
        @WithDefault("false")
        boolean allowWildcardBind();
    }

    /**
     * The QEMU guest agent of a domain is reached through the unix socket {@code <domain>.qga} beside its QMP socket
     * (the host side of its {@code org.qemu.guest_agent.0} virtio-serial channel, QEMU listening); these bound how
     * long a quiesced checkpoint may wait for it and keep the guest frozen.
     */
    interface GuestAgent {

        /**
         * How long the agent waits for the answer to {@code guest-sync-delimited} before it answers
         * VIR_ERR_AGENT_UNRESPONSIVE "QEMU guest agent is not connected": a channel nobody serves in the guest never
         * answers, so this is the wait a QUIESCE on such a domain costs.
         */
        @WithDefault("2s")
        Duration syncTimeout();

        /**
         * The longest the guest's file systems stay frozen, counted from sending {@code guest-fsfreeze-freeze}: the
         * freeze's answer and the bitmaps' transaction must both come within it. When it expires the agent sends
         * {@code guest-fsfreeze-thaw} whatever is still running, and the checkpoint fails (its bitmaps, if QEMU made
         * them late, are removed again) with VIR_ERR_OPERATION_TIMEOUT.
         */
        @WithDefault("10s")
        Duration maxFreeze();

        /** How long the agent waits for the answer to {@code guest-fsfreeze-thaw}. */
        @WithDefault("5s")
        Duration thawTimeout();
    }
}

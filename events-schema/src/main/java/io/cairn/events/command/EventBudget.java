package io.cairn.events.command;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.CheckpointDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The event a command will publish, measured from its settled plan before anything runs. The field limits alone
 * cannot promise it fits: parsing re-indents the embedded domain, compact XML grows as JSON, and a pull backup
 * repeats its server in every disk's NBD URI.
 */
public final class EventBudget {
    /** Kafka's default request size less room for the headers (CloudEvents, trace) and the record's framing. */
    public static final int MAX_EVENT_BYTES = CommandLimits.KAFKA_DEFAULT_MAX_REQUEST_BYTES - 64 * 1024;

    private static final ObjectWriter EVENTS = CairnJson.mapper().writerFor(CairnEvent.class);

    private EventBudget() {
    }

    /**
     * The checkpoint-created of a checkpoint about to be created or redefined; a parent not yet known (a name of at
     * most 255 characters) fits the room the limit leaves.
     *
     * @throws CairnException VIR_ERR_INVALID_ARG with the size and the limit
     */
    public static void requireCheckpointCreated(Command command, CheckpointDefinition checkpoint) {
        require(command, new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), checkpoint, true));
    }

    /**
     * The backup-started of a backup about to begin, from its aligned plan. The NBD exports are the agent's to name;
     * each is estimated from the longest URI form (TLS, user, host, port and socket all present), with a TCP key.
     *
     * @throws CairnException VIR_ERR_INVALID_ARG with the size and the limit
     */
    public static void requireBackupStarted(Command command, BackupDefinition aligned, CheckpointDefinition checkpoint) {
        List<BackupDisk> selected = aligned.disks() == null ? List.of()
                : aligned.disks().stream().filter(disk -> !Boolean.FALSE.equals(disk.backup())).toList();
        require(command, new BackupStartedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), UUID.randomUUID().toString(), aligned.mode(), aligned.incremental(), selected,
                aligned.mode() == BackupMode.PULL ? exports(aligned.server(), selected) : null, checkpoint));
    }

    private static NbdEndpoint exports(BackupServer server, List<BackupDisk> disks) {
        String host = server == null ? "" : String.valueOf(server.name());
        String socket = server == null ? "" : String.valueOf(server.socket());
        List<NbdExport> exports = new ArrayList<>();
        for (BackupDisk disk : disks) {
            String name = disk.exportname() == null ? disk.name() : disk.exportname();
            String bitmap = disk.exportbitmap() == null ? ReservedNames.defaultExportBitmap(disk.name())
                    : disk.exportbitmap();
            exports.add(new NbdExport(disk.name(), name, bitmap, NbdExport.bitmapContextOf(bitmap),
                    "nbds+unix://" + NbdPskBudget.USERNAME + "@[" + host + "]:65535/" + name + "?socket=" + socket));
        }
        return new NbdEndpoint(server, exports, new NbdPsk(NbdPskBudget.USERNAME, NbdPskBudget.KEY));
    }

    /** The largest key an agent hands out: a user name and 32 bytes in hex. */
    private static final class NbdPskBudget {
        static final String USERNAME = "u".repeat(32);
        static final String KEY = "0".repeat(64);
    }

    private static void require(Command command, CairnEvent event) {
        long bytes = CommandLimits.encodedSize(EVENTS, event);
        if (bytes > MAX_EVENT_BYTES) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "the " + event.type() + " event this "
                    + command.type() + " would publish is " + bytes + " bytes, more than the limit of "
                    + MAX_EVENT_BYTES + " bytes (Kafka's 1 MiB less room for headers): shorten its definition");
        }
    }
}

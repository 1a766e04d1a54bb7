package io.cairn.backup.rest;

import io.cairn.events.command.BackupBeginFlag;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.CheckpointDefinition;
import java.util.Set;

/** The body of POST .../backup: a backup.begin command without the parts the URL and headers give. */
public record BeginRequest(String backupXml, BackupDefinition backup, String checkpointXml,
        CheckpointDefinition checkpoint, Set<BackupBeginFlag> flags) {
}

package io.cairn.backup.rest;

import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import java.util.List;

/** The body of POST .../restore: a restore.begin command without the parts the URL and headers give. */
public record RestoreRequest(String checkpoint, RestoreMode mode, List<RestoreTarget> disks, String ttl) {
}

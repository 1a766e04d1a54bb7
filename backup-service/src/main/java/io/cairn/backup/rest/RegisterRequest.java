package io.cairn.backup.rest;

import io.cairn.events.model.PullOutput;
import java.util.List;

/** The body of POST /api/v1/backup/jobs/{jobId}/artifacts: per disk the file a pull's client wrote and its format. */
public record RegisterRequest(List<PullOutput> disks) {
}

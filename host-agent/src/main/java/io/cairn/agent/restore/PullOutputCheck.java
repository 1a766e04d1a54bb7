package io.cairn.agent.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.agent.DiskRestorePlan;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;

/**
 * Checks a pull backup's output before backup.register digests it: confined as any artifact a restore reads (a
 * regular file of the agent's in the domain's directory), and of the format the client declared, so the catalog never
 * records a qcow2 file as raw (a restore would copy its metadata as disk data) or the other way round.
 */
final class PullOutputCheck {

    private PullOutputCheck() {
    }

    /** The output's checked path and size (what its digest will read); the plan's target is the output file. */
    static RestoreRun.DiskWork checked(DiskRestorePlan plan, String domain, StoragePolicy policy) {
        StorePath file = policy.checkArtifact(plan.target(), domain, plan.disk());
        // Probed (no -f): the point is to learn what the file is, not to read it as what it claims to be.
        JsonNode info = RestoreRun.ImageInfo.run(List.of("qemu-img", "info", "--output=json", plan.target()),
                plan.target());
        String found = info.path("format").asText();
        if (!found.equals(plan.format())) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "invalid argument: output '" + plan.target()
                    + "' of disk '" + plan.disk() + "' is a " + found + " image, not " + plan.format());
        }
        try {
            return new RestoreRun.DiskWork(plan, file, Files.readAttributes(file.path(),
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

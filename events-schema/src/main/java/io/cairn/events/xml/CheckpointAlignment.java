package io.cairn.events.xml;

import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libvirt's {@code virDomainCheckpointAlignDisks}: turns the requested disks into one entry per domain
 * disk, in domain order, with defaults filled in, so every later step sees a complete plan.
 */
public final class CheckpointAlignment {

    private CheckpointAlignment() {
    }

    public static CheckpointDefinition align(CheckpointDefinition definition, DomainDisks domain) {
        List<CheckpointDisk> requested = definition.disks() == null ? List.of() : definition.disks();
        if (requested.size() > domain.size()) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "too many disk checkpoint requests for domain");
        }
        if (domain.size() == 0) {
            throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                    "domain must have at least one disk to perform checkpoints");
        }
        // Without <disks>, every writable disk gets a bitmap; with <disks>, unlisted disks get none.
        CheckpointDiskMode unlistedMode = requested.isEmpty() ? CheckpointDiskMode.BITMAP : CheckpointDiskMode.NO;

        Map<String, CheckpointDisk> byTarget = new HashMap<>();
        for (CheckpointDisk disk : requested) {
            DomainDiskInfo domainDisk = domain.byTargetOrPath(disk.name()).orElseThrow(() -> XmlErrors.of(
                    VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '" + disk.name() + "'"));
            if (byTarget.containsKey(domainDisk.target())) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                        "disk '" + disk.name() + "' specified twice");
            }
            if ((domainDisk.empty() || domainDisk.readonly()) && disk.checkpoint() != CheckpointDiskMode.NO) {
                throw XmlErrors.of(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED,
                        "disk '" + disk.name() + "' is empty or readonly");
            }
            // A disk named by its source path is renamed to its target, for uniformity.
            byTarget.put(domainDisk.target(),
                    new CheckpointDisk(domainDisk.target(), disk.checkpoint(), disk.bitmap(), disk.size()));
        }

        List<CheckpointDisk> aligned = new ArrayList<>(domain.size());
        for (DomainDiskInfo domainDisk : domain.disks()) {
            CheckpointDisk existing = byTarget.get(domainDisk.target());
            if (existing != null) {
                aligned.add(existing);
            } else {
                CheckpointDiskMode mode = domainDisk.empty() || domainDisk.readonly()
                        ? CheckpointDiskMode.NO : unlistedMode;
                aligned.add(new CheckpointDisk(domainDisk.target(), mode, null, null));
            }
        }
        return assignDefaultBitmapNames(withDisks(definition, aligned));
    }

    /**
     * What libvirt's redefinition does to the disks: align against the embedded domain when there is one,
     * otherwise only fill in default bitmap names. (The UUID check against the real domain and the
     * parent checks belong to whoever owns the checkpoint tree.)
     */
    public static CheckpointDefinition alignRedefinition(CheckpointDefinition definition, XmlLimits limits) {
        if (definition.domainXml() == null) {
            return assignDefaultBitmapNames(definition);
        }
        return align(definition, new DomainXmlDisks(limits).read(definition.domainXml()));
    }

    /**
     * Every bitmap disk without a bitmap name gets the checkpoint's name (all a redefinition without an
     * embedded domain gets).
     */
    public static CheckpointDefinition assignDefaultBitmapNames(CheckpointDefinition definition) {
        if (definition.disks() == null) {
            return definition;
        }
        List<CheckpointDisk> disks = new ArrayList<>(definition.disks().size());
        for (CheckpointDisk disk : definition.disks()) {
            boolean needsName = disk.checkpoint() == CheckpointDiskMode.BITMAP && disk.bitmap() == null;
            disks.add(needsName ? new CheckpointDisk(disk.name(), disk.checkpoint(), definition.name(), disk.size())
                    : disk);
        }
        return withDisks(definition, disks);
    }

    private static CheckpointDefinition withDisks(CheckpointDefinition definition, List<CheckpointDisk> disks) {
        return new CheckpointDefinition(definition.name(), definition.description(), definition.parent(),
                definition.creationTime(), disks, definition.domainXml());
    }
}

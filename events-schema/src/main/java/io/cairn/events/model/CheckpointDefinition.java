package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A checkpoint definition, the JSON twin of libvirt's {@code <domaincheckpoint>}.
 *
 * @param name         libvirt name pattern {@code [a-zA-Z0-9_\-][a-zA-Z0-9_\-.]*}; defaults to creationTime
 * @param description  free text
 * @param parent       name of the parent checkpoint (output and REDEFINE only)
 * @param creationTime Unix seconds (output and REDEFINE only)
 * @param disks        per-disk participation; null on input means every writable disk
 * @param domainXml    the embedded inactive {@code <domain>} element, kept verbatim (output and REDEFINE only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointDefinition(
        String name,
        String description,
        String parent,
        Long creationTime,
        List<CheckpointDisk> disks,
        String domainXml) {

    public CheckpointDefinition {
        disks = disks == null ? null : List.copyOf(disks);
    }
}

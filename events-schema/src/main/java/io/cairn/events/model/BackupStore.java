package io.cairn.events.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where a disk's backup goes: the push {@code <target>} or the pull {@code <scratch>}.
 *
 * @param type       {@code file} or {@code block}
 * @param path       the file path ({@code file=}) or device path ({@code dev=}), absolute
 * @param format     image format ({@code <driver type=>}); qcow2 by default
 * @param seclabels  {@code <seclabel>} elements, kept verbatim for libvirt compatibility
 * @param encryption the {@code <encryption>} element, kept verbatim
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupStore(String type, String path, String format, List<String> seclabels, String encryption) {
    public BackupStore {
        seclabels = seclabels == null ? null : List.copyOf(seclabels);
    }
}

package io.cairn.events.model;

/**
 * One disk a restore is to write, and where: the path of the new image (absent: Cairn names one beside the disk's
 * artifacts) and its format ({@code qcow2}, the default, or {@code raw}; a thin restore is always qcow2).
 *
 * @param name   the disk's target name in the domain, e.g. {@code vda}
 * @param path   absolute path of the image to create on the host holding the artifacts; must not exist yet
 * @param format {@code qcow2} or {@code raw}
 */
public record RestoreTarget(String name, String path, String format) {
}

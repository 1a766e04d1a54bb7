package io.cairn.agent.qmp;

/** QEMU's DeviceNotFound class: a device or node named in the command does not exist. */
public final class DeviceNotFoundException extends QmpErrorException {

    public DeviceNotFoundException(String command, String desc) {
        super(command, "DeviceNotFound", desc);
    }
}

package io.cairn.agent.qmp;

/** QEMU's DeviceNotActive class, e.g. block-job-cancel of a job that does not exist (the job-* commands say GenericError instead). */
public final class DeviceNotActiveException extends QmpErrorException {

    public DeviceNotActiveException(String command, String desc) {
        super(command, "DeviceNotActive", desc);
    }
}

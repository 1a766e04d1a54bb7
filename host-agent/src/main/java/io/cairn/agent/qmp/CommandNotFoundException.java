package io.cairn.agent.qmp;

/** QEMU's CommandNotFound class: the command does not exist in this QEMU, or not before qmp_capabilities. */
public final class CommandNotFoundException extends QmpErrorException {

    public CommandNotFoundException(String command, String desc) {
        super(command, "CommandNotFound", desc);
    }
}

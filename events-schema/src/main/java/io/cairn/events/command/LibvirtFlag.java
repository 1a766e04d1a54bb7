package io.cairn.events.command;

import java.util.Collection;

/** A command flag that is one bit of a libvirt API's {@code flags} argument, so services pass it through unchanged. */
public interface LibvirtFlag {

    /** The bit libvirt defines for this flag. */
    int value();

    /** libvirt's C constant, e.g. {@code VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE}. */
    String libvirtName();

    /** The {@code flags} argument for a libvirt call: the OR of every flag's bit. */
    static int mask(Collection<? extends LibvirtFlag> flags) {
        int mask = 0;
        for (LibvirtFlag flag : flags) {
            mask |= flag.value();
        }
        return mask;
    }
}

package io.cairn.events.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The pre-shared key a pull backup's TCP NBD server demands (QEMU's {@code tls-creds-psk}), so that only a principal
 * allowed to read the domain's backup events or jobs can read its disks. Fresh for every job, useless once it ends.
 *
 * <p>libnbd and QEMU read the key from a file, never from the URI: write {@link #fileLine()} (one line,
 * {@code username:key}) to a file only you can read, then connect with
 * {@code nbdinfo 'nbds://cairn@host:port/vda?tls-psk-file=FILE'} (the export's {@code uri} plus
 * {@code ?tls-psk-file=FILE}), or with QEMU's client
 * {@code --object tls-creds-psk,id=tls0,endpoint=client,dir=DIR,username=cairn} where {@code DIR/keys.psk} is that file.
 *
 * @param username the PSK identity, also the user part of each export's {@code nbds://} URI
 * @param key      the key as lowercase hex (32 random bytes); absent where the reader may not see it (a viewer)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NbdPsk(String username, String key) {

    /** The line of a PSK file, as libnbd's {@code tls-psk-file} and QEMU's {@code keys.psk} read it. */
    public String fileLine() {
        return username + ":" + key;
    }

    /** The same identity with the key left out, for readers who may know a key exists but not read it. */
    public NbdPsk withoutKey() {
        return new NbdPsk(username, null);
    }
}

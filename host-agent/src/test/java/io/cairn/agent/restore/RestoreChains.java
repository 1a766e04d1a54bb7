package io.cairn.agent.restore;

import io.cairn.agent.backup.Tools;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StorePath;
import io.cairn.events.event.NbdPsk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Real backup chains for the restore tests, made with qemu-img and qemu-io the way push backups leave them:
 * standalone qcow2 incrementals (zeros written as zero clusters), whose headers are then made to lie — one names a
 * file that does not exist, one names the full instead of its real parent — so only an explicit chain reads right.
 */
public final class RestoreChains {

    public static final long MIB = 1024 * 1024;

    /** The chain's files, full first, and a raw file of what the restore point really holds. */
    public record Chain(List<ChainLink> links, Path expected) {
    }

    private RestoreChains() {
    }

    /**
     * Three links of a {@code size} disk (at least 64 MiB): a full with data at several places, an incremental
     * overwriting some of it and zeroing a range of the full's data, a second incremental over both.
     */
    public static Chain threeLinks(Path dir, long size) {
        return chain(dir, size,
                List.of("write -P 0x11 0 " + MIB, "write -P 0x12 " + 8 * MIB + " " + 2 * MIB,
                        "write -P 0x13 " + (size - MIB) + " " + MIB),
                List.of("write -P 0x21 " + MIB / 2 + " " + MIB, "write -z " + 8 * MIB + " " + MIB / 2,
                        "write -P 0x22 " + size / 2 + " " + MIB),
                List.of("write -P 0x31 0 65536", "write -P 0x32 " + (size / 2 + MIB) + " 65536",
                        "write -P 0x33 " + (size - MIB) + " " + MIB / 2));
    }

    /** A fully allocated full, an incremental of a quarter of the disk, one of a sixteenth: for throughput. */
    public static Chain allocated(Path dir, long size) {
        return chain(dir, size, List.of("write -P 0x41 0 " + size), List.of("write -P 0x42 0 " + size / 4),
                List.of("write -P 0x43 " + size / 2 + " " + size / 16));
    }

    private static Chain chain(Path dir, long size, List<String> fullWrites, List<String> inc1Writes,
            List<String> inc2Writes) {
        Path full = dir.resolve("full.qcow2");
        Path inc1 = dir.resolve("inc1.qcow2");
        Path inc2 = dir.resolve("inc2.qcow2");
        create(full, size);
        io(full, fullWrites);
        create(inc1, size);
        io(inc1, inc1Writes);
        create(inc2, size);
        io(inc2, inc2Writes);
        Path expected = dir.resolve("expected.raw");
        Tools.run("qemu-img", "convert", "-O", "raw", stacked(full, inc1, inc2), expected.toString());
        // The lies: inc1 names a file that is not there, inc2 names the full (skipping inc1).
        Tools.rebaseUnsafe(inc1, dir.resolve("no-such-previous.qcow2"));
        Tools.rebaseUnsafe(inc2, full);
        return new Chain(List.of(ChainLink.qcow2(full), ChainLink.qcow2(inc1), ChainLink.qcow2(inc2)), expected);
    }

    /** A {@code json:} image of the chain stacked as it should be, whatever the headers say: the reference. */
    public static String stacked(Path... fullFirst) {
        String image = "null";
        for (Path link : fullFirst) {
            image = "{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"" + link + "\"},\"backing\":"
                    + image + "}";
        }
        return "json:" + image;
    }

    /** The socket path as the agent's caller gets it: checked to lie in the domain's storage directory. */
    public static StorePath socket(Path storageRoot, String domain, String name) {
        try {
            Files.createDirectories(storageRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StoragePolicy(List.of(storageRoot)).checkSocket(storageRoot.resolve(domain).resolve(name).toString(),
                domain);
    }

    /** The client's side: the key line in a file of its own, as a reader of the endpoint would write it. */
    public static Path keyFile(Path file, NbdPsk psk) {
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), psk.fileLine() + "\n", StandardOpenOption.WRITE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void create(Path image, long size) {
        Tools.run("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), Long.toString(size));
    }

    static void io(Path image, List<String> commands) {
        List<String> command = new ArrayList<>(List.of("qemu-io", "-f", "qcow2"));
        for (String c : commands) {
            command.add("-c");
            command.add(c);
        }
        command.add(image.toString());
        Tools.run(command.toArray(String[]::new));
    }
}

package io.cairn.agent.backup;

import io.cairn.agent.messaging.AgentMessagingConfig;
import io.cairn.events.event.NbdPsk;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The per-job directories QEMU's {@code tls-creds-psk} reads a pull's key from ({@code <jobId>/keys.psk}, QEMU's
 * fixed name): private to the agent's user, in its state directory, and gone with the job, so a key never outlives
 * the export it opens. gnutls reads the file at every handshake, so it must stay while the job runs. Beside the key,
 * the domain is kept, so the reconciler can tell whose leftover a directory is, and Diffie-Hellman parameters, since
 * without them QEMU generates fresh ones for every object (0.4 to 1.3 s per start on the test machine, measured).
 * Blocking I/O: call off the event loop.
 */
@Singleton
public class NbdPskFiles {

    /** The PSK identity of every export; the key, not the name, is the secret. */
    public static final String USERNAME = "cairn";
    static final String KEY_FILE = "keys.psk";
    private static final String DOMAIN_FILE = "domain";
    /** QEMU's name for the file it loads DH parameters from instead of generating them. */
    private static final String DH_FILE = "dh-params.pem";
    /**
     * The ffdhe2048 group of RFC 7919 (Appendix A.1), a published standard group, as PKCS#3 PEM: no secret, the same
     * for every job, and what TLS 1.3 peers negotiate for finite-field DHE anyway.
     */
    private static final String FFDHE2048 = """
            -----BEGIN DH PARAMETERS-----
            MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
            +8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
            87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
            YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
            7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
            ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
            -----END DH PARAMETERS-----
            """;
    private static final int KEY_BYTES = 32;

    /** A leftover directory: the job it was made for, and that job's domain (null if never written). */
    public record Entry(String jobId, String domain) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Path root;

    @Inject
    public NbdPskFiles(AgentMessagingConfig config) {
        this(config.stateDir().resolve("nbd-psk"));
    }

    public NbdPskFiles(Path root) {
        this.root = root;
    }

    /** A fresh key for the job, written where {@link #dirOf} says; replaces a leftover of the same job id. */
    public NbdPsk create(String jobId, String domain) {
        Path dir = dirOf(jobId);
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            delete(jobId);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            byte[] bytes = new byte[KEY_BYTES];
            random.nextBytes(bytes);
            NbdPsk psk = new NbdPsk(USERNAME, HexFormat.of().formatHex(bytes));
            // Created 0600 and exclusively: the key is never readable by others, not even for an instant.
            Files.write(Files.createFile(dir.resolve(KEY_FILE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    (psk.fileLine() + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
            Files.writeString(dir.resolve(DOMAIN_FILE), domain, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(DH_FILE), FFDHE2048, StandardCharsets.US_ASCII);
            return psk;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the NBD key of job " + jobId + " under " + root, e);
        }
    }

    /** The directory QEMU's tls-creds-psk object is given; job ids are QEMU-well-formed, so a plain name. */
    public Path dirOf(String jobId) {
        return root.resolve(jobId);
    }

    /** Removes the job's key and directory, if there are any. */
    public void delete(String jobId) {
        Path dir = dirOf(jobId);
        try {
            for (String file : List.of(KEY_FILE, DOMAIN_FILE, DH_FILE)) {
                Files.deleteIfExists(dir.resolve(file));
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the NBD key of job " + jobId, e);
        }
    }

    /** Every job directory present, for the reconciler's sweep. */
    public List<Entry> all() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new Entry(dir.getFileName().toString(), domainOf(dir).orElse(null)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    public boolean exists(String jobId) {
        return Files.exists(dirOf(jobId), LinkOption.NOFOLLOW_LINKS);
    }

    private static Optional<String> domainOf(Path dir) {
        try (Stream<String> lines = Files.lines(dir.resolve(DOMAIN_FILE), StandardCharsets.UTF_8)) {
            return lines.findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package io.cairn.testing.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;

/**
 * The local stack's token issuer: an RSA key pair in {@code <state dir>/security} (the same files
 * {@code deploy/local/cairn up} makes with openssl) and RS256 tokens signed with it, so tests, the tour and the soak
 * call the REST API as a real client would, with no identity provider to run.
 */
public final class LocalIssuer {
    /** The issuer the services expect by default ({@code CAIRN_JWT_ISSUER}). */
    public static final String ISSUER = "https://cairn.local";
    /** The claim listing the domains a token may act on ({@code cairn.security.domains-claim}). */
    public static final String DOMAINS_CLAIM = "cairn_domains";
    static final String KEY_ID = "cairn-local-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path privateKeyFile;
    private final Path publicKeyFile;
    private PrivateKey privateKey;

    private LocalIssuer(Path directory) {
        this.privateKeyFile = directory.resolve("jwt-private.pem");
        this.publicKeyFile = directory.resolve("jwt-public.pem");
    }

    /** The issuer whose keys live in {@code directory}, made there first if they do not exist yet. */
    public static LocalIssuer in(Path directory) {
        LocalIssuer issuer = new LocalIssuer(directory);
        issuer.ensureKeys(directory);
        return issuer;
    }

    /** The public key as services take it ({@code CAIRN_JWT_PUBLIC_KEY}): base64 of the DER, on one line. */
    public String publicKeyBase64() {
        return pemBody(read(publicKeyFile));
    }

    /** A signed token for {@code subject} with {@code role}, scoped to {@code domains} (names or patterns). */
    public String token(String subject, String role, Collection<String> domains, Duration ttl) {
        Instant now = Instant.now();
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", KEY_ID);
        ObjectNode payload = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("upn", subject)
                .put("iat", now.getEpochSecond()).put("exp", now.plus(ttl).getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        payload.putArray("groups").add(role);
        domains.forEach(payload.putArray(DOMAINS_CLAIM)::add);
        String unsigned = base64Url(header.toString()) + "." + base64Url(payload.toString());
        return unsigned + "." + sign(unsigned);
    }

    /** An admin of every domain: what tests use unless they test security itself. */
    public String adminOfAll(Duration ttl) {
        return token("cairn-test-admin", "admin", java.util.List.of("*"), ttl);
    }

    private String sign(String unsigned) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(unsigned.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + privateKeyFile, e);
        }
    }

    /** Read once: tests mint a token for nearly every call they make. */
    private synchronized PrivateKey privateKey() throws GeneralSecurityException {
        if (privateKey == null) {
            privateKey = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pemBody(read(privateKeyFile)))));
        }
        return privateKey;
    }

    private void ensureKeys(Path directory) {
        if (Files.isRegularFile(privateKeyFile) && Files.isRegularFile(publicKeyFile)) {
            return;
        }
        try {
            Files.createDirectories(directory);
            // Several test JVMs may start at once: one makes the pair, the others then find it whole.
            try (FileChannel lock = FileChannel.open(directory.resolve(".keys.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lock.lock()) {
                if (Files.isRegularFile(privateKeyFile) && Files.isRegularFile(publicKeyFile)) {
                    return;
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                write(publicKeyFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                write(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the local issuer's keys in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Owner-only, written whole under a temporary name and then moved in. */
    private static void write(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

package io.cairn.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every path of a domain's job must stay in {@code <root>/<domain>/} however it is spelled, and never clobber a file. */
class StoragePolicyTest {

    @Test
    void acceptsAFreshPathInTheDomainsDirectoryWhichItCreatesPrivate(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path rootLink = Files.createSymbolicLink(dir.resolve("root-link"), root);
        StoragePolicy policy = new StoragePolicy(List.of(rootLink));

        StorePath store = policy.checkNewStore(rootLink.resolve("vm1/a.qcow2").toString(), "vm1", "vda");

        assertThat(store.path()).isEqualTo(root.toRealPath().resolve("vm1/a.qcow2"));
        assertThat(Files.getPosixFilePermissions(root.resolve("vm1"), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(root.resolve("vm1/sub"));
        assertThat(policy.checkNewStore(root.resolve("vm1/sub/b.qcow2").toString(), "vm1", "vda").path())
                .as("a real subdirectory of the domain's, by the root's real name").isEqualTo(
                        root.toRealPath().resolve("vm1/sub/b.qcow2"));
    }

    @Test
    void refusesEveryPathOutsideTheDomainsDirectory(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(root.resolve("vm1"));
        Files.createDirectories(root.resolve("vm2"));
        Files.createSymbolicLink(root.resolve("vm1/door"), outside);
        Files.createSymbolicLink(root.resolve("vm1/to-vm2"), root.resolve("vm2"));
        Files.createSymbolicLink(root.resolve("vm3"), outside);
        StoragePolicy policy = new StoragePolicy(List.of(root));
        String allowed = root.toRealPath().resolve("vm1").toString();

        assertThatThrownBy(() -> policy.checkNewStore(outside.resolve("x.qcow2").toString(), "vm1", "vda"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                        .isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED))
                .hasMessage("store '%s' for backup of 'vda' is outside '%s', the storage directory of domain 'vm1'",
                        outside.resolve("x.qcow2"), allowed);
        assertDenied(() -> policy.checkNewStore(root + "/vm1/../vm2/x.qcow2", "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm2/x.qcow2").toString(), "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("x.qcow2").toString(), "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm1").toString(), "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm1/door/x.qcow2").toString(), "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm1/to-vm2/x.qcow2").toString(), "vm1", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm3/x.qcow2").toString(), "vm3", "vda"));
        assertDenied(() -> policy.checkNewStore(root.resolve(".state/x.qcow2").toString(), ".state", "vda"));
        assertDenied(() -> policy.checkSocket(outside.resolve("n.sock").toString(), "vm1"));
        Files.createDirectory(root.resolve("vm1/shared"));
        Files.setPosixFilePermissions(root.resolve("vm1/shared"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertDenied(() -> policy.checkNewStore(root.resolve("vm1/shared/x.qcow2").toString(), "vm1", "vda"));

        assertCode(() -> policy.checkNewStore("vm1/relative.qcow2", "vm1", "vda"), VirErrorCode.VIR_ERR_INVALID_ARG);
        assertCode(() -> policy.checkNewStore(root.resolve("vm1/nodir/x.qcow2").toString(), "vm1", "vda"),
                VirErrorCode.VIR_ERR_INVALID_ARG);
        assertCode(() -> policy.checkNewStore(root.resolve("vm1/a\nb.qcow2").toString(), "vm1", "vda"),
                VirErrorCode.VIR_ERR_INVALID_ARG);
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void existingFilesOnlyWithReuseExternalAndOnlyRegularOwnFiles(@TempDir Path root) throws IOException {
        Path domain = Files.createDirectories(root.resolve("vm1"));
        Path existing = Files.writeString(domain.resolve("t.qcow2"), "x");
        StoragePolicy policy = new StoragePolicy(List.of(root));
        assertThatThrownBy(() -> policy.checkNewStore(existing.toString(), "vm1", "vda"))
                .hasMessage("store '%s' for backup of 'vda' exists", existing);
        assertThat(policy.checkReusedStore(existing.toString(), "vm1", "vda").path()).isEqualTo(existing.toRealPath());
        assertCode(() -> policy.checkReusedStore(domain.resolve("new.qcow2").toString(), "vm1", "vda"),
                VirErrorCode.VIR_ERR_INVALID_ARG);

        Path link = Files.createSymbolicLink(domain.resolve("link.qcow2"), existing);
        assertCode(() -> policy.checkReusedStore(link.toString(), "vm1", "vda"), VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkNewStore(link.toString(), "vm1", "vda"), VirErrorCode.VIR_ERR_INVALID_ARG);
        Path directory = Files.createDirectory(domain.resolve("dir.qcow2"));
        assertCode(() -> policy.checkReusedStore(directory.toString(), "vm1", "vda"), VirErrorCode.VIR_ERR_INVALID_ARG);
        Path foreign = Files.writeString(domain.resolve("foreign.qcow2"), "x");
        Files.setAttribute(foreign, "unix:uid", policy.agentUid() + 4242);
        assertThatThrownBy(() -> policy.checkReusedStore(foreign.toString(), "vm1", "vda"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                        .isEqualTo(VirErrorCode.VIR_ERR_OPERATION_DENIED))
                .hasMessageContaining("not by the agent's user");
    }

    @Test
    void aSocketPathMustBeFreeOrAnEarlierSocket(@TempDir Path root) throws IOException {
        Path domain = Files.createDirectories(root.resolve("vm1"));
        StoragePolicy policy = new StoragePolicy(List.of(root));
        assertThat(policy.checkSocket(domain.resolve("n.sock").toString(), "vm1").path())
                .isEqualTo(domain.toRealPath().resolve("n.sock"));
        Path file = Files.writeString(domain.resolve("disk.qcow2"), "x");
        assertCode(() -> policy.checkSocket(file.toString(), "vm1"), VirErrorCode.VIR_ERR_INVALID_ARG);
        Path link = Files.createSymbolicLink(domain.resolve("l.sock"), root.resolve("elsewhere.sock"));
        assertCode(() -> policy.checkSocket(link.toString(), "vm1"), VirErrorCode.VIR_ERR_OPERATION_DENIED);
    }

    @Test
    void rootsMustNotNest(@TempDir Path dir) throws IOException {
        Path outer = Files.createDirectories(dir.resolve("outer"));
        Path inner = Files.createDirectories(outer.resolve("vm1"));
        assertThatThrownBy(() -> new StoragePolicy(List.of(outer, inner))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nbdBindsOnlyToConfiguredAddresses() {
        NbdAddressPolicy policy = new NbdAddressPolicy(List.of("127.0.0.1", "10.0.0.5"), false);
        policy.checkTcpBind("10.0.0.5", 10809);
        assertCode(() -> policy.checkTcpBind("10.0.0.6", 10809), VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkTcpBind("127.0.0.1", null), VirErrorCode.VIR_ERR_OPERATION_UNSUPPORTED);
    }

    @Test
    void aWildcardBindIsRefusedEvenIfListedUnlessAllowed() {
        List<String> wildcards = List.of("0.0.0.0", "::", "[::]", "0", "0x0", "0.0", "000.0.0.00", "0:0:0:0:0:0:0:0",
                "::ffff:0.0.0.0", "");
        NbdAddressPolicy listedButNotAllowed = new NbdAddressPolicy(wildcards, false);
        for (String wildcard : wildcards) {
            assertCode(() -> listedButNotAllowed.checkTcpBind(wildcard, 10809), VirErrorCode.VIR_ERR_INVALID_ARG);
        }
        NbdAddressPolicy allowed = new NbdAddressPolicy(List.of("0.0.0.0", "::"), true);
        allowed.checkTcpBind("0.0.0.0", 10809);
        allowed.checkTcpBind("::", 10809);
        assertCode(() -> allowed.checkTcpBind("[::]", 10809), VirErrorCode.VIR_ERR_OPERATION_DENIED);
        for (String address : List.of("127.0.0.1", "::1", "10.0.0.0", "0.0.0.1", "localhost", "0host", "fe80::1")) {
            assertThat(NbdAddressPolicy.isWildcard(address)).as(address).isFalse();
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertCode(call, VirErrorCode.VIR_ERR_OPERATION_DENIED);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, VirErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}

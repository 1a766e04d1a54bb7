package io.cairn.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store paths must stay under the storage roots however they are spelled, and never clobber a file. */
class StoragePolicyTest {

    @Test
    void acceptsAFreshPathUnderARootAndResolvesSymlinkedParents(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("vm1"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("vm1"));
        StoragePolicy policy = new StoragePolicy(List.of(root));
        assertThat(policy.checkStore(root.resolve("vm1/a.qcow2").toString(), "vda", false))
                .isEqualTo(root.toRealPath().resolve("vm1/a.qcow2"));
        assertThat(policy.checkStore(root.resolve("alias/b.qcow2").toString(), "vda", false))
                .isEqualTo(root.toRealPath().resolve("vm1/b.qcow2"));
    }

    @Test
    void refusesEscapes(@TempDir Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("door"), outside);
        Files.writeString(outside.resolve("victim.qcow2"), "x");
        Files.createSymbolicLink(root.resolve("link.qcow2"), outside.resolve("victim.qcow2"));
        Files.createSymbolicLink(root.resolve("dangling.qcow2"), outside.resolve("nothing.qcow2"));
        StoragePolicy policy = new StoragePolicy(List.of(root));

        assertCode(() -> policy.checkStore(outside.resolve("x.qcow2").toString(), "vda", false),
                VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkStore(root + "/../outside/x.qcow2", "vda", false), VirErrorCode.VIR_ERR_INVALID_ARG);
        assertCode(() -> policy.checkStore(root.resolve("door/x.qcow2").toString(), "vda", false),
                VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkStore(root.resolve("link.qcow2").toString(), "vda", true),
                VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkStore(root.resolve("dangling.qcow2").toString(), "vda", true),
                VirErrorCode.VIR_ERR_INVALID_ARG);
        assertCode(() -> policy.checkStore("relative.qcow2", "vda", false), VirErrorCode.VIR_ERR_INVALID_ARG);
        assertCode(() -> policy.checkStore(root.toString(), "vda", true), VirErrorCode.VIR_ERR_OPERATION_DENIED);
        assertCode(() -> policy.checkStore(root.resolve("nodir/x.qcow2").toString(), "vda", false),
                VirErrorCode.VIR_ERR_INVALID_ARG);
    }

    @Test
    void existingFilesOnlyWithReuseExternal(@TempDir Path root) throws IOException {
        Path existing = Files.writeString(root.resolve("t.qcow2"), "x");
        StoragePolicy policy = new StoragePolicy(List.of(root));
        assertThatThrownBy(() -> policy.checkStore(existing.toString(), "vda", false))
                .hasMessage("store '%s' for backup of 'vda' exists", existing);
        assertThat(policy.checkStore(existing.toString(), "vda", true)).isEqualTo(existing.toRealPath());
        assertCode(() -> policy.checkStore(root.resolve("new.qcow2").toString(), "vda", true),
                VirErrorCode.VIR_ERR_INVALID_ARG);
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

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, VirErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}

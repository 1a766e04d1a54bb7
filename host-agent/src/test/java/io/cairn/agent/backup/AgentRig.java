package io.cairn.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.agent.domain.DomainConnection;
import io.cairn.agent.domain.DomainRegistry;
import io.cairn.agent.operation.AgentOperations;
import io.cairn.agent.operation.BitmapOperations;
import io.cairn.agent.qmp.BlockNode;
import io.cairn.agent.restore.ChainExports;
import io.cairn.agent.restore.ExportRestores;
import io.cairn.agent.restore.RestoreJobs;
import io.cairn.agent.qmp.QmpClientOptions;
import io.cairn.agent.storage.NbdAddressPolicy;
import io.cairn.agent.storage.StoragePolicy;
import io.cairn.agent.storage.StoreFiles;
import io.cairn.events.agent.AgentRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.testing.qemu.GuestlessQemu;
import io.cairn.testing.qemu.PatternWrite;
import io.cairn.testing.qemu.QemuImg;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The agent's services wired by hand around one guest-less QEMU, plus the checks tests share. */
public final class AgentRig {

    public static final Duration WAIT = Duration.ofSeconds(60);

    public final GuestlessQemu qemu;
    public final TestAgentConfig config;
    public final RecordingSink sink = new RecordingSink();
    public final DomainRegistry registry;
    public final BackupJobs backups;
    public final RestoreJobs restores;
    public final ExportRestores exports;
    public final io.cairn.agent.retention.RetentionRuns retention;
    public final AgentOperations operations;
    /** The rig's file creation, for tests that act in the window between a path's check and its creation. */
    public final StoreFiles storeFiles;
    private int requests;

    public AgentRig(GuestlessQemu qemu, TestAgentConfig config) {
        this.qemu = qemu;
        this.config = config;
        this.registry = new DomainRegistry(config.hostId(), config.qmpSocketDir(),
                QmpClientOptions.DEFAULTS.withCommandTimeout(config.commandTimeout()));
        StoragePolicy storage = new StoragePolicy(config.storageRoots());
        this.storeFiles = new StoreFiles(storage);
        this.backups = new BackupJobs(config, storage, storeFiles, new NbdAddressPolicy(config), sink,
                new CreatedStores(qemu.workDir().resolve("agent-state").resolve("created-stores")),
                new NbdPskFiles(pskRoot(qemu)));
        this.restores = new RestoreJobs(config, storage, backups, sink);
        this.exports = new ExportRestores(config.hostId(), storage, new ChainExports(qemu.workDir().resolve(
                "agent-state"), storage), sink, Duration.ofSeconds(30));
        this.retention = new io.cairn.agent.retention.RetentionRuns(config, storage, backups, sink);
        this.operations = new AgentOperations(config, registry, new BitmapOperations(), backups, restores, exports,
                retention);
    }

    /** Where this rig's agent keeps the per-job NBD keys. */
    public static Path pskRoot(GuestlessQemu qemu) {
        return qemu.workDir().resolve("agent-state").resolve("nbd-psk");
    }

    public String nextRequestId() {
        return "req-" + (++requests);
    }

    public AgentResult run(AgentRequest request) {
        return operations.execute(request).await().atMost(WAIT);
    }

    public DomainConnection connection() {
        return registry.connection(qemu.domain()).await().atMost(WAIT);
    }

    /** A guest write through the virtio-blk device, as a real guest's write would arrive. */
    public void guestWrite(String disk, PatternWrite write) {
        connection().commands().hmp("qemu-io -d " + disk + "/virtio-backend \"" + write.qemuIoCommand() + "\"")
                .await().atMost(WAIT);
    }

    /** A qcow2 holding what the disk holds after exactly these writes on an empty disk. */
    public Path expectedImage(String name, long size, List<PatternWrite> writes) {
        Path image = qemu.file(name);
        QemuImg.createQcow2(image, size, qemu.logFile());
        QemuImg.writePatterns(image, writes, qemu.logFile());
        return image;
    }

    public boolean identical(Path first, Path second) {
        return QemuImg.identical(first, second, qemu.logFile());
    }

    public void rebaseUnsafe(Path image, Path backing) {
        Tools.rebaseUnsafe(image, backing);
    }

    /** No job, no export, no temporary bitmap and no agent node is left in QEMU. */
    public void assertQemuClean() {
        DomainConnection connection = connection();
        assertThat(connection.commands().queryJobs().await().atMost(WAIT)).isEmpty();
        assertThat(connection.client().execute("query-block-exports").await().atMost(WAIT)).isEmpty();
        List<BlockNode> nodes = connection.commands().queryNamedBlockNodes().await().atMost(WAIT);
        assertThat(nodes).extracting(BlockNode::nodeName).noneMatch(name -> name.startsWith(BackupNames.NODE_PREFIX));
        assertThat(nodes).flatExtracting(BlockNode::dirtyBitmaps)
                .noneMatch(bitmap -> bitmap.name().map(n -> n.startsWith("backup-") || n.startsWith("libvirt-tmp-"))
                        .orElse(false));
        assertThat(qemu.log()).doesNotContain("write failed");
    }
}

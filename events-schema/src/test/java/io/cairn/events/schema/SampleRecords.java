package io.cairn.events.schema;

import io.cairn.events.command.BackupAbortCommand;
import io.cairn.events.command.BackupBeginCommand;
import io.cairn.events.command.BackupBeginFlag;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointCreateFlag;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.command.RestoreBeginCommand;
import io.cairn.events.command.RestoreEndCommand;
import io.cairn.events.event.RestoreExportedEvent;
import io.cairn.events.command.VerifyBeginCommand;
import io.cairn.events.command.BackupRegisterCommand;
import io.cairn.events.event.ArtifactsRegisteredEvent;
import io.cairn.events.event.RegisteredArtifact;
import io.cairn.events.model.PullOutput;
import io.cairn.events.command.RetentionApplyCommand;
import io.cairn.events.event.KeptRestorePoint;
import io.cairn.events.event.MergedArtifactEntry;
import io.cairn.events.event.PrunedArtifactEntry;
import io.cairn.events.event.RetentionAppliedEvent;
import io.cairn.events.event.UnneededCheckpoint;
import io.cairn.events.event.ArtifactVerdict;
import io.cairn.events.event.VerifyCompletedEvent;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.BackupProgressEvent;
import io.cairn.events.event.BackupStartedEvent;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.event.BitmapProblem;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.event.CheckpointBrokenEvent;
import io.cairn.events.event.LineageRetiredEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.event.CommandRejectedEvent;
import io.cairn.events.event.NbdEndpoint;
import io.cairn.events.event.NbdExport;
import io.cairn.events.event.NbdPsk;
import io.cairn.events.event.RestoreCompletedEvent;
import io.cairn.events.event.RestoreProgressEvent;
import io.cairn.events.event.RestoredDisk;
import io.cairn.events.model.RestoreMode;
import io.cairn.events.model.RestoreTarget;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.model.DiskBackupMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records built in Java, independent of the example files: "full" ones set every component, nested ones included,
 * so schema checks see every field a record can write; "minimal" ones set only what is required.
 */
final class SampleRecords {
    static final Instant TIME = Instant.parse("2026-11-25T21:00:02.123456789Z");

    static final CheckpointDefinition FULL_CHECKPOINT = new CheckpointDefinition("cp-2", "nightly", "cp-1",
            1795640402L, List.of(new CheckpointDisk("vda", CheckpointDiskMode.BITMAP, "cp-2", 65536L)),
            "<domain type='kvm'><name>vm-1</name></domain>");
    static final BackupServer FULL_SERVER = new BackupServer("tcp", "host-1.example.net", 10809,
            "/run/cairn/nbd.sock", "group-1", true);
    static final BackupDisk FULL_BACKUP_DISK = new BackupDisk("vda", true, DiskBackupMode.INCREMENTAL, "cp-1",
            "vda", "backup-vda",
            new BackupStore("file", "/scratch/vm-1-vda.qcow2", "qcow2", List.of("<seclabel model='dac'/>"),
                    "<encryption format='luks'/>"),
            "running");
    static final BackupStatistics FULL_STATISTICS = new BackupStatistics(100L, 40L, 60L, 5L, 50L, 1200L);

    private SampleRecords() {
    }

    /** One entry per record variant; the key names it in test reports. */
    static Map<String, Object> all() {
        return Map.ofEntries(
                Map.entry("checkpoint.create full", new CheckpointCreateCommand("cmd-1", "vm-1", null,
                        FULL_CHECKPOINT, Set.of(CheckpointCreateFlag.REDEFINE, CheckpointCreateFlag.REDEFINE_VALIDATE))),
                Map.entry("checkpoint.create xml", new CheckpointCreateCommand("cmd-2", "vm-1",
                        "<domaincheckpoint><name>cp-2</name></domaincheckpoint>", null,
                        Set.of(CheckpointCreateFlag.QUIESCE))),
                Map.entry("checkpoint.create minimal", new CheckpointCreateCommand("cmd-3", "vm-1", null,
                        new CheckpointDefinition(null, null, null, null, null, null), null)),
                Map.entry("checkpoint.delete full", new CheckpointDeleteCommand("cmd-4", "vm-1", "cp-1",
                        Set.of(CheckpointDeleteFlag.CHILDREN, CheckpointDeleteFlag.METADATA_ONLY))),
                Map.entry("checkpoint.delete minimal", new CheckpointDeleteCommand("cmd-5", "vm-1", "cp-1", null)),
                Map.entry("backup.begin full", new BackupBeginCommand("cmd-6", "vm-1", null,
                        new BackupDefinition(BackupMode.PULL, "cp-1", FULL_SERVER, List.of(FULL_BACKUP_DISK)),
                        null, FULL_CHECKPOINT, Set.of(BackupBeginFlag.REUSE_EXTERNAL))),
                Map.entry("backup.begin xml", new BackupBeginCommand("cmd-7", "vm-1",
                        "<domainbackup mode='push'/>", null, "<domaincheckpoint/>", null, null)),
                Map.entry("backup.begin minimal", new BackupBeginCommand("cmd-8", "vm-1", null,
                        new BackupDefinition(null, null, null, null), null, null, null)),
                Map.entry("backup.abort", new BackupAbortCommand("cmd-9", "vm-1")),
                Map.entry("restore.begin full", new RestoreBeginCommand("cmd-13", "vm-1", "cp-2", RestoreMode.THIN,
                        List.of(new RestoreTarget("vda", "/backups/vm-1/vda.cp-2.qcow2", "qcow2")), "PT8H")),
                Map.entry("backup.verify full", new VerifyBeginCommand("cmd-15", "vm-1", "cp-2")),
                Map.entry("backup.verify minimal", new VerifyBeginCommand("cmd-16", "vm-1", null)),
                Map.entry("verify-completed full", new VerifyCompletedEvent("ev-16", TIME, "vm-1", "cmd-15", "v-1",
                        "host-1", "cp-2", false, ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "agent silent"),
                        List.of(new ArtifactVerdict("vda", "cp-2", "/backups/vm-1/vda.cp-2", false, "damaged")))),
                Map.entry("verify-completed minimal", new VerifyCompletedEvent("ev-17", TIME, "vm-1", "cmd-16", "v-2",
                        "host-1", null, true, null, null)),
                Map.entry("backup.register full", new BackupRegisterCommand("cmd-21", "vm-1", "j-4",
                        List.of(new PullOutput("vda", "/backups/vm-1/vda.cp-2.qcow2", "qcow2"),
                                new PullOutput("vdb", "/backups/vm-1/vdb.cp-2.raw", "raw")))),
                Map.entry("backup.register minimal", new BackupRegisterCommand("cmd-22", "vm-1", "j-4",
                        List.of(new PullOutput("vda", "/backups/vm-1/vda.cp-2.qcow2", "qcow2")))),
                Map.entry("artifacts-registered full", new ArtifactsRegisteredEvent("ev-21", TIME, "vm-1", "cmd-21",
                        "j-4", "host-1", List.of(new RegisteredArtifact("vda", "cp-2", "cp-1",
                                "/backups/vm-1/vda.cp-2.qcow2", "qcow2", 8192L, "ab".repeat(32))))),
                Map.entry("artifacts-registered minimal", new ArtifactsRegisteredEvent("ev-22", TIME, "vm-1",
                        "cmd-22", "j-4", "host-1", List.of(new RegisteredArtifact("vda", null, null,
                                "/backups/vm-1/vda.raw", "raw", 0L, "cd".repeat(32))))),
                Map.entry("retention.apply full", new RetentionApplyCommand("cmd-17", "vm-1")),
                Map.entry("retention-applied full", new RetentionAppliedEvent("ev-18", TIME, "vm-1", "cmd-17", "p-1",
                        "host-1", false, ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "agent silent"),
                        List.of(new KeptRestorePoint("cp-3", "j-3", "keep-last")),
                        List.of(new MergedArtifactEntry("vda", "j-3/vda", "/backups/vm-1/vda.cp-3", "j-2/vda", "cp-1",
                                8192L, "cd".repeat(32))),
                        List.of(new PrunedArtifactEntry("vda", "j-2/vda", "cp-2", "/backups/vm-1/vda.cp-2", 4096L)),
                        4096L, List.of(new UnneededCheckpoint("cp-2", TIME)))),
                Map.entry("retention-applied minimal", new RetentionAppliedEvent("ev-19", TIME, "vm-1", "cmd-17",
                        "p-2", null, true, null, null, null, null, 0L, null)),
                Map.entry("restore.begin minimal", new RestoreBeginCommand("cmd-14", "vm-1", "cp-2", null, null)),
                Map.entry("restore.begin export", new RestoreBeginCommand("cmd-18", "vm-1", "cp-2", RestoreMode.EXPORT,
                        List.of(new RestoreTarget("vda", null, null)), "PT8H")),
                Map.entry("restore.end full", new RestoreEndCommand("cmd-19", "vm-1", "r-3")),
                Map.entry("restore-exported full", new RestoreExportedEvent("ev-18", TIME, "vm-1", "cmd-18", "r-3",
                        "cp-2", "host-1", TIME, new NbdEndpoint(FULL_SERVER,
                                // An export has no bitmap; set here only so the schema check sees every field.
                                List.of(new NbdExport("vda", "vda", "b-1", NbdExport.bitmapContextOf("b-1"),
                                        "nbds+unix://cairn@/vda?socket=/backups/vm-1/.export-r-3.sock")),
                                new NbdPsk("cairn", "0a1b2c")))),
                Map.entry("restore-completed export", new RestoreCompletedEvent("ev-19", TIME, "vm-1", "cmd-19", "r-3",
                        "cp-2", "host-1", RestoreMode.EXPORT, true, null, List.of(), "cmd-18")),
                Map.entry("restore-progress full", new RestoreProgressEvent("ev-13", TIME, "vm-1", "cmd-13", "r-1",
                        1000L, 400L)),
                Map.entry("restore-completed full", new RestoreCompletedEvent("ev-14", TIME, "vm-1", "cmd-13", "r-1",
                        "cp-2", "host-1", RestoreMode.COPY, false,
                        ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "artifact damaged"),
                        List.of(new RestoredDisk("vda", "/backups/vm-1/vda.cp-2.raw", "raw", 4096L, "ab".repeat(32),
                                List.of("/backups/vm-1/vda.cp-1", "/backups/vm-1/vda.cp-2"))), "cmd-12")),
                Map.entry("restore-completed minimal", new RestoreCompletedEvent("ev-15", TIME, "vm-1", "cmd-14",
                        "r-2", "cp-2", "host-1", RestoreMode.THIN, true, null, null)),
                Map.entry("checkpoint-created full", new CheckpointCreatedEvent("ev-1", TIME, "vm-1", "cmd-1",
                        FULL_CHECKPOINT, false, 2)),
                Map.entry("checkpoint-created minimal", new CheckpointCreatedEvent("ev-1b", TIME, "vm-1", null,
                        FULL_CHECKPOINT, true)),
                Map.entry("checkpoint-deleted full", new CheckpointDeletedEvent("ev-2", TIME, "vm-1", "cmd-4",
                        List.of("cp-1", "cp-2"), true)),
                Map.entry("checkpoint-broken full", new CheckpointBrokenEvent("ev-3", TIME, "vm-1", "cmd-1", "cp-1",
                        List.of(new BrokenBitmap("vda", "cp-1", BitmapProblem.MISSING, "no bitmap 'cp-1' on vda")))),
                Map.entry("checkpoint-broken minimal", new CheckpointBrokenEvent("ev-4", TIME, "vm-1", null, "cp-1",
                        List.of(new BrokenBitmap("vda", null, BitmapProblem.INCONSISTENT, null)))),
                Map.entry("lineage-retired full", new LineageRetiredEvent("ev-3b", TIME, "vm-1", "cmd-1",
                        "4c1e6d2a-7b3f-4e59-9a10-2d8c5e7f1b36", "9f2b7c41-0d6e-4a83-b5c2-6e1f8a3d0c97",
                        List.of("cp-1", "cp-2"))),
                Map.entry("lineage-retired minimal", new LineageRetiredEvent("ev-3c", TIME, "vm-1", null,
                        "4c1e6d2a-7b3f-4e59-9a10-2d8c5e7f1b36", "9f2b7c41-0d6e-4a83-b5c2-6e1f8a3d0c97", List.of())),
                Map.entry("backup-started full", new BackupStartedEvent("ev-5", TIME, "vm-1", "cmd-6", "job-1",
                        BackupMode.PULL, "cp-1", List.of(FULL_BACKUP_DISK),
                        new NbdEndpoint(FULL_SERVER, List.of(new NbdExport("vda", "vda", "backup-vda",
                                NbdExport.bitmapContextOf("backup-vda"), "nbds://cairn@host-1.example.net:10809/vda")),
                                new NbdPsk("cairn", "5f0c".repeat(16))),
                        FULL_CHECKPOINT)),
                Map.entry("backup-started minimal", new BackupStartedEvent("ev-6", TIME, "vm-1", null, "job-2",
                        BackupMode.PUSH, null, List.of(new BackupDisk("vda", null, null, null, null, null, null, null)),
                        null, null)),
                Map.entry("backup-progress full", new BackupProgressEvent("ev-7", TIME, "vm-1", "cmd-6", "job-1",
                        FULL_STATISTICS)),
                Map.entry("backup-progress push", new BackupProgressEvent("ev-8", TIME, "vm-1", "cmd-6", "job-1",
                        BackupStatistics.push(100, 40, 1200))),
                Map.entry("backup-completed full", new BackupCompletedEvent("ev-9", TIME, "vm-1", "cmd-6", "job-1",
                        BackupCompletionStatus.FAILED, false, "No space left on device", FULL_STATISTICS, "cmd-5")),
                Map.entry("backup-completed minimal", new BackupCompletedEvent("ev-10", TIME, "vm-1", null, "job-1",
                        BackupCompletionStatus.CANCELLED, false, null, null)),
                Map.entry("command-rejected full", new CommandRejectedEvent("ev-11", TIME, "vm-1", "cmd-4",
                        "checkpoint.delete", ErrorInfo.of(VirErrorCode.VIR_ERR_NO_DOMAIN_CHECKPOINT, "no such checkpoint"))),
                Map.entry("command-rejected minimal", new CommandRejectedEvent("ev-12", TIME, "vm-1", null, null,
                        ErrorInfo.of(VirErrorCode.VIR_ERR_INVALID_ARG, "record value is not JSON"))));
    }

    /** The variants meant to set every component. */
    static Map<String, Object> full() {
        Map<String, Object> full = new java.util.TreeMap<>();
        all().forEach((name, record) -> {
            if (name.endsWith(" full") || name.equals("backup.abort")) {
                full.put(name, record);
            }
        });
        return full;
    }
}

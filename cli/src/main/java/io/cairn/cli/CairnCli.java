package io.cairn.cli;

import io.cairn.cli.verb.BackupBegin;
import io.cairn.cli.verb.BackupDumpXml;
import io.cairn.cli.verb.BackupList;
import io.cairn.cli.verb.CheckpointCreate;
import io.cairn.cli.verb.CheckpointDelete;
import io.cairn.cli.verb.CheckpointDumpXml;
import io.cairn.cli.verb.CheckpointList;
import io.cairn.cli.verb.CheckpointParent;
import io.cairn.cli.verb.Completion;
import io.cairn.cli.verb.DomJobAbort;
import io.cairn.cli.verb.DomJobInfo;
import io.cairn.cli.verb.Hosts;
import io.cairn.cli.verb.Restore;
import io.cairn.cli.verb.BackupRegister;
import io.cairn.cli.verb.RestoreEnd;
import io.cairn.cli.verb.RestorePoints;
import io.cairn.cli.verb.Prune;
import io.cairn.cli.verb.Retention;
import io.cairn.cli.verb.RetentionSet;
import io.cairn.cli.verb.RetentionUnset;
import io.cairn.cli.verb.Verify;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code cairn} command: virsh's checkpoint and backup verbs for a fleet, over Cairn's REST APIs. */
@TopCommand
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "virsh's checkpoint and backup verbs for a Cairn fleet (REST, bearer token)",
        footer = {"", "Exit codes: 0 ok, 1 error from Cairn (or a local file), 2 usage, 3 cannot reach Cairn or "
                + "no valid token.",
            "Config: CAIRN_TOKEN, CAIRN_CHECKPOINT_URL, CAIRN_BACKUP_URL over ~/.config/cairn/cli.properties "
                + "(--config FILE)."},
        subcommands = {CheckpointCreate.class, CheckpointList.class, CheckpointDumpXml.class, CheckpointParent.class,
            CheckpointDelete.class, BackupBegin.class, BackupDumpXml.class, DomJobInfo.class, DomJobAbort.class,
            BackupList.class, BackupRegister.class, RestorePoints.class, Restore.class, RestoreEnd.class, Verify.class,
            Retention.class, RetentionSet.class, RetentionUnset.class, Prune.class, Hosts.class, Completion.class})
public class CairnCli {
}

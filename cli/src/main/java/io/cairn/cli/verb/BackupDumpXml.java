package io.cairn.cli.verb;

import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** virsh backup-dumpxml: the running backup's {@code <domainbackup>} with defaults filled in. */
@Command(name = "backup-dumpxml", description = "Print the running backup job's XML")
public class BackupDumpXml extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    protected int run(CairnApi api) {
        String xml = api.getXml(Service.BACKUP, Domains.backup(domain));
        out.print(xml.endsWith("\n") ? xml : xml + "\n");
        return ExitCodes.OK;
    }
}

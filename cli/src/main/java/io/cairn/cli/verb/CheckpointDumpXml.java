package io.cairn.cli.verb;

import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** virsh checkpoint-dumpxml: a checkpoint's {@code <domaincheckpoint>} (with --json, its JSON view instead). */
@Command(name = "checkpoint-dumpxml", description = "Print a checkpoint's XML")
public class CheckpointDumpXml extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "CHECKPOINT")
    String name;

    @Option(names = "--security-info", description = "Include security-sensitive information (operator)")
    boolean securityInfo;

    @Option(names = "--no-domain", description = "Leave out the <domain> element")
    boolean noDomain;

    @Option(names = "--size", description = "Include the bytes dirtied since the checkpoint (measured on the host)")
    boolean size;

    @Override
    protected int run(CairnApi api) {
        String path = Domains.checkpoint(domain, name);
        if (common.json) {
            Print.json(out, api.getJson(Service.CHECKPOINT, path));
            return ExitCodes.OK;
        }
        List<String> flags = new ArrayList<>();
        if (securityInfo) {
            flags.add("SECURE");
        }
        if (noDomain) {
            flags.add("NO_DOMAIN");
        }
        if (size) {
            flags.add("SIZE");
        }
        String xml = api.getXml(Service.CHECKPOINT, path + Domains.flags(flags));
        out.print(xml.endsWith("\n") ? xml : xml + "\n");
        return ExitCodes.OK;
    }
}

package io.cairn.cli.verb;

import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Removes a domain's retention policy: nothing is pruned and no full is forced any more; files stay as they are. */
@Command(name = "retention-unset", description = "Remove a domain's retention policy")
public class RetentionUnset extends Verb {

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Override
    protected int run(CairnApi api) {
        api.delete(Service.BACKUP, Domains.retention(domain), Domains.newCommandId());
        out.println("Domain " + domain + " has no retention policy any more.");
        return ExitCodes.OK;
    }
}

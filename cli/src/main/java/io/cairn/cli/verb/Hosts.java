package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** The fleet as the host agents last reported it: each host with its domains (in the token's scope) and disks. */
@Command(name = "hosts", description = "List the hosts and the domains they run")
public class Hosts extends Verb {

    @Override
    protected int run(CairnApi api) {
        JsonNode hosts = api.getJson(Service.BACKUP, "/api/v1/hosts");
        if (common.json) {
            Print.json(out, hosts);
            return ExitCodes.OK;
        }
        Table table = new Table("Host", "Domain", "State", "Disks", "Reported");
        for (JsonNode host : hosts) {
            String reported = Print.instant(host.path("time"));
            if (host.path("domains").isEmpty()) {
                table.row(host.path("hostId").asText(), "-", "-", "-", reported);
            }
            for (JsonNode domain : host.path("domains")) {
                List<String> disks = new ArrayList<>();
                domain.path("disks").forEach(disk -> disks.add(disk.path("device").asText()));
                table.row(host.path("hostId").asText(), domain.path("name").asText(),
                        domain.path("runState").asText("-"), String.join(",", disks), reported);
            }
        }
        Print.lines(out, table.lines());
        return ExitCodes.OK;
    }
}

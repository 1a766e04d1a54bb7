package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Bytes;
import io.cairn.cli.output.Print;
import io.cairn.cli.output.Table;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What a domain can be restored to, from the backup catalog: one line per restore point and disk with the chain of
 * artifacts that restores it, or why it cannot (no virsh twin: libvirt keeps no catalog).
 */
@Command(name = "restore-points", description = "List a domain's restore points (newest first) and the artifacts "
        + "that restore each disk, or why a chain is incomplete; with CHECKPOINT, only the latest point holding it")
public class RestorePoints extends Verb {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", arity = "0..1")
    String checkpoint;

    @Override
    protected int run(CairnApi api) {
        JsonNode points = checkpoint == null
                ? api.getJson(Service.BACKUP, Domains.restorePoints(domain))
                : api.getJson(Service.BACKUP, Domains.restorePoints(domain) + "/" + CairnApi.segment(checkpoint));
        if (common.json) {
            Print.json(out, points);
            return ExitCodes.OK;
        }
        Table table = new Table("Checkpoint", "Time", "Disk", "Restorable", "Chain (full first)", "Size");
        for (JsonNode point : points.isArray() ? points : List.of(points)) {
            for (JsonNode disk : point.path("disks")) {
                List<String> links = new ArrayList<>();
                long size = 0;
                for (JsonNode artifact : disk.path("chain")) {
                    links.add(artifact.path("path").asText());
                    size += artifact.path("size").asLong();
                }
                table.row(point.path("checkpoint").asText("-"), Print.instant(point.path("time")),
                        disk.path("disk").asText(), disk.path("complete").asBoolean() ? "yes"
                                : "no: " + disk.path("missing").asText("incomplete"),
                        String.join(" <- ", links), Bytes.of(size));
            }
        }
        Print.lines(out, table.lines());
        return ExitCodes.OK;
    }
}

package io.cairn.cli.verb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.cli.ExitCodes;
import io.cairn.cli.Verb;
import io.cairn.cli.output.Print;
import io.cairn.cli.rest.CairnApi;
import io.cairn.cli.rest.CairnApi.Service;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Sets a domain's retention policy (replacing any), then shows what applying it now would do. It is applied after
 * every push backup of the domain, and at once with {@code prune}.
 */
@Command(name = "retention-set", description = "Set a domain's retention policy")
public class RetentionSet extends Verb {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest restore points")
    int keepLast;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest point of each of N days")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest point of each of N weeks")
    int keepWeekly;

    @Option(names = "--full-every", paramLabel = "K",
            description = "Back up full once a disk's chain holds K incrementals")
    int fullEvery;

    @Option(names = "--max-chain-size", paramLabel = "SIZE",
            description = "Back up full once a disk's chain passes SIZE (bytes, or with K, M, G, T: powers of 1024)")
    String maxChainSize;

    @Override
    protected void validate() {
        if (keepLast <= 0 && keepDaily <= 0 && keepWeekly <= 0) {
            throw new ParameterException(spec.commandLine(),
                    "a policy must keep something: give --keep-last, --keep-daily or --keep-weekly above 0");
        }
        if (maxChainSize != null) {
            bytes(maxChainSize);
        }
    }

    @Override
    protected int run(CairnApi api) {
        ObjectNode body = CairnApi.JSON.createObjectNode().put("keepLast", keepLast).put("keepDaily", keepDaily)
                .put("keepWeekly", keepWeekly).put("fullEvery", fullEvery)
                .put("maxChainBytes", maxChainSize == null ? 0 : bytes(maxChainSize));
        JsonNode view = api.put(Service.BACKUP, Domains.retention(domain), body.toString()).json();
        if (common.json) {
            Print.json(out, view);
        } else {
            Retention.print(out, view);
        }
        return ExitCodes.OK;
    }

    private long bytes(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long number = Long.parseLong(digits);
            if (number < 0 || number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--max-chain-size: '" + text
                    + "' is not a size (bytes, or a number with K, M, G or T)");
        }
    }
}

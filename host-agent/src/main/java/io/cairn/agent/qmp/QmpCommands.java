package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The typed QMP commands the agent uses, so callers never handle raw JSON for them. */
public final class QmpCommands {

    private final QmpClient client;

    public QmpCommands(QmpClient client) {
        this.client = client;
    }

    public QmpClient client() {
        return client;
    }

    public Uni<QemuVersion> queryVersion() {
        return client.execute("query-version").map(QemuVersion::fromJson);
    }

    /** Every node of the block graph, including storage nodes and job filters ({@code flat}). */
    public Uni<List<BlockNode>> queryNamedBlockNodes() {
        return client.execute("query-named-block-nodes", QmpClient.arguments().put("flat", true))
                .map(reply -> listOf(reply, BlockNode::fromJson));
    }

    /** The guest-visible BlockBackends; empty when the machine has no block devices. */
    public Uni<List<BlockDevice>> queryBlock() {
        return client.execute("query-block").map(reply -> listOf(reply, BlockDevice::fromJson));
    }

    public Uni<List<QmpJob>> queryJobs() {
        return client.execute("query-jobs").map(reply -> listOf(reply, QmpJob::fromJson));
    }

    public Uni<Void> transaction(List<TransactionAction> actions) {
        ObjectNode arguments = QmpClient.arguments();
        ArrayNode array = arguments.putArray("actions");
        actions.forEach(action -> array.add(action.toJson()));
        return client.execute("transaction", arguments).replaceWithVoid();
    }

    public Uni<Void> jobDismiss(String jobId) {
        return client.execute("job-dismiss", QmpClient.arguments().put("id", jobId)).replaceWithVoid();
    }

    public Uni<Void> blockdevDel(String nodeName) {
        return client.execute("blockdev-del", QmpClient.arguments().put("node-name", nodeName)).replaceWithVoid();
    }

    /**
     * Runs an HMP command and yields its text output. HMP reports its own errors as "Error: ..." text
     * in a successful QMP reply, so that case is turned into {@link HmpErrorException}. Note that
     * {@code qemu-io} prints its results to QEMU's stdout, not into this output.
     */
    public Uni<String> hmp(String commandLine) {
        return client.execute("human-monitor-command", QmpClient.arguments().put("command-line", commandLine))
                .map(reply -> {
                    String output = reply.asText("");
                    if (output.startsWith("Error:")) {
                        throw new HmpErrorException(commandLine, output);
                    }
                    return output;
                });
    }

    private static <T> List<T> listOf(JsonNode array, Function<JsonNode, T> parser) {
        List<T> items = new ArrayList<>(array.size());
        array.forEach(item -> items.add(parser.apply(item)));
        return List.copyOf(items);
    }
}

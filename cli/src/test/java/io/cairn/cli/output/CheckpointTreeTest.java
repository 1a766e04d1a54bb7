package io.cairn.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.cairn.cli.rest.CairnApi;
import org.junit.jupiter.api.Test;

class CheckpointTreeTest {

    private static ArrayNode list(String... nameParentHealth) {
        ArrayNode list = CairnApi.JSON.createArrayNode();
        for (String entry : nameParentHealth) {
            String[] parts = entry.split(":", -1);
            var view = list.addObject();
            var checkpoint = view.putObject("checkpoint").put("name", parts[0]);
            if (!parts[1].isEmpty()) {
                checkpoint.put("parent", parts[1]);
            }
            view.put("health", parts.length > 2 ? parts[2] : "active");
        }
        return list;
    }

    @Test
    void aChainIsDrawnAsVirshDrawsIt() {
        assertThat(new CheckpointTree(list("c1:", "c2:c1", "c3:c2")).lines()).containsExactly(
                "c1",
                "  |",
                "  +- c2",
                "      |",
                "      +- c3",
                "");
    }

    @Test
    void siblingsKeepTheirParentsBarUntilTheLastOne() {
        assertThat(new CheckpointTree(list("c1:", "c2:c1", "c3:c2", "c4:c1")).lines()).containsExactly(
                "c1",
                "  |",
                "  +- c2",
                "  |   |",
                "  |   +- c3",
                "  |",
                "  +- c4",
                "");
    }

    @Test
    void severalRootsEachStartAtTheMarginAndALoneRootIsFollowedByABlankLine() {
        assertThat(new CheckpointTree(list("a:", "b:", "b1:b")).lines()).containsExactly(
                "a",
                "",
                "b",
                "  |",
                "  +- b1",
                "");
    }

    @Test
    void anUnhealthyCheckpointSaysSo() {
        assertThat(new CheckpointTree(list("c1:", "c2:c1:broken")).lines()).contains("  +- c2  (broken)");
    }

    @Test
    void noCheckpointsDrawNothing() {
        assertThat(new CheckpointTree(list()).lines()).isEmpty();
    }
}

package io.cairn.tour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import org.junit.jupiter.api.Test;

/** The tour's tree drawing, like virsh checkpoint-list --tree: roots first, children indented, health shown. */
class LineageTreeTest {

    @Test
    void drawsBranchesAndMarksBrokenCheckpoints() throws Exception {
        JsonNode views = CairnJson.mapper().readTree("""
                [{"checkpoint":{"name":"a"},"health":"active"},
                 {"checkpoint":{"name":"b","parent":"a"},"health":"active"},
                 {"checkpoint":{"name":"c","parent":"b"},"health":"broken"},
                 {"checkpoint":{"name":"d","parent":"a"},"health":"active"},
                 {"checkpoint":{"name":"z"},"health":"active"}]""");

        assertThat(LineageTree.render(views)).containsExactly(
                "a",
                "  |- b",
                "  |    +- c  (broken)",
                "  +- d",
                "z");
    }
}

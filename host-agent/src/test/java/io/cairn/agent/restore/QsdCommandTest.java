package io.cairn.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon's command line states every backing relation itself and opens everything read-only. */
class QsdCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachLinkNamesItsBackingAndNothingIsWritable() throws Exception {
        List<String> command = QsdCommand.of(List.of(
                DiskChain.of("vda", List.of(new ChainLink(Path.of("/s/d/full,odd=name.raw"), ChainLink.RAW),
                        ChainLink.qcow2(Path.of("/s/d/inc1.qcow2")), ChainLink.qcow2(Path.of("/s/d/inc2.qcow2")))),
                new DiskChain("vdb", "vdb-cp0", List.of(ChainLink.qcow2(Path.of("/s/d/vdb.qcow2"))))),
                Path.of("/s/d/r.sock"), Path.of("/state/restore-psk/r1"));

        assertThat(command.get(0)).isEqualTo("qemu-storage-daemon");
        List<JsonNode> blockdevs = values(command, "--blockdev");
        assertThat(blockdevs).hasSize(8).allSatisfy(node -> assertThat(node.get("read-only").asBoolean()).isTrue());
        assertThat(blockdevs.get(0).get("filename").asText()).as("JSON needs no comma escaping")
                .isEqualTo("/s/d/full,odd=name.raw");
        assertThat(blockdevs.get(1).get("driver").asText()).isEqualTo("raw");
        assertThat(blockdevs.get(1).has("backing")).as("raw has no backing").isFalse();
        assertThat(blockdevs.get(3).get("backing").asText()).isEqualTo("d0-l0-fmt");
        assertThat(blockdevs.get(5).get("backing").asText()).isEqualTo("d0-l1-fmt");
        assertThat(blockdevs.get(7).get("backing").isNull()).as("a qcow2 full: backing null").isTrue();

        JsonNode server = values(command, "--nbd-server").get(0);
        assertThat(server.at("/addr/path").asText()).isEqualTo("/s/d/r.sock");
        assertThat(server.get("tls-creds").asText()).isEqualTo(values(command, "--object").get(0).get("id").asText());
        assertThat(values(command, "--object").get(0).get("qom-type").asText()).isEqualTo("tls-creds-psk");
        assertThat(String.join(" ", command)).contains(QsdCommand.marker(Path.of("/state/restore-psk/r1")));

        List<JsonNode> exports = values(command, "--export");
        assertThat(exports).extracting(node -> node.get("name").asText()).containsExactly("vda", "vdb-cp0");
        assertThat(exports).extracting(node -> node.get("node-name").asText()).containsExactly("d0-l2-fmt", "d1-l0-fmt");
        assertThat(exports).allSatisfy(node -> assertThat(node.get("writable").asBoolean()).isFalse());
    }

    private static List<JsonNode> values(List<String> command, String option) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; i < command.size() - 1; i++) {
            if (command.get(i).equals(option)) {
                values.add(JSON.readTree(command.get(i + 1)));
            }
        }
        return values;
    }
}

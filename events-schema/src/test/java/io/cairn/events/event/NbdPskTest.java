package io.cairn.events.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pull's key reaches readers who may act on the domain and no one else: the redacted event keeps only the name. */
class NbdPskTest {

    private static final String KEY = "ab".repeat(32);

    @Test
    void withoutCredentialsDropsTheKeyAndKeepsWhereToConnect() throws Exception {
        NbdEndpoint nbd = new NbdEndpoint(new BackupServer("tcp", "10.0.0.7", 10809, null, null, null),
                List.of(new NbdExport("vda", "vda", null, null, "nbds://cairn@10.0.0.7:10809/vda")),
                new NbdPsk("cairn", KEY));
        CairnEvent event = new BackupStartedEvent("e1", Instant.EPOCH, "vm-1", "c1", "j1", BackupMode.PULL, null,
                List.of(), nbd, null);

        String full = CairnJson.mapper().writeValueAsString(event);
        String redacted = CairnJson.mapper().writeValueAsString(event.withoutCredentials());

        assertThat(full).contains(KEY).doesNotContain("withoutCredentials").doesNotContain("fileLine");
        assertThat(redacted).doesNotContain(KEY).contains("\"psk\":{\"username\":\"cairn\"}")
                .contains("nbds://cairn@10.0.0.7:10809/vda");
        assertThat(nbd.psk().fileLine()).isEqualTo("cairn:" + KEY);
    }

    @Test
    void eventsWithoutAKeyAreUnchanged() {
        CairnEvent push = new BackupStartedEvent("e2", Instant.EPOCH, "vm-1", "c1", "j2", BackupMode.PUSH, null,
                List.of(), null, null);
        assertThat(push.withoutCredentials()).isSameAs(push);
    }

    @Test
    void anExportsRestoreExportedLosesItsKeyForReadersWhoMayNotActOnTheDomain() throws Exception {
        NbdEndpoint nbd = new NbdEndpoint(new BackupServer("unix", null, null, "/b/vm/.x.sock", null, true),
                List.of(new NbdExport("vda", "vda", null, null, "nbds+unix://cairn@/vda?socket=/b/vm/.x.sock")),
                new NbdPsk("cairn", "ab".repeat(32)));
        RestoreExportedEvent exported = new RestoreExportedEvent("e", Instant.EPOCH, "vm", "c", "r", "cp", "h",
                Instant.EPOCH, nbd);

        RestoreExportedEvent seen = (RestoreExportedEvent) exported.withoutCredentials();

        assertThat(seen.nbd().psk().key()).isNull();
        assertThat(seen.nbd().psk().username()).isEqualTo("cairn");
        assertThat(seen.nbd().exports()).isEqualTo(nbd.exports());
        assertThat(CairnJson.mapper().writeValueAsString(seen)).doesNotContain("ab".repeat(32));
    }
}

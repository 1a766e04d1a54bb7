package io.cairn.events.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.BackupStatistics;
import io.cairn.events.json.CairnJson;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.DiskBackupMode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The internal agent protocol survives a JSON round trip with its type discriminators intact. */
class AgentProtocolJsonTest {
    private final ObjectMapper mapper = CairnJson.mapper();

    @Test
    void everyRequestTypeRoundTripsThroughItsTypeProperty() throws Exception {
        BackupDefinition backup = new BackupDefinition(BackupMode.PUSH, null, null, List.of(new BackupDisk("vda", true,
                DiskBackupMode.FULL, null, null, null, new BackupStore("file", "/srv/b/vda.qcow2", "qcow2", null, null),
                null)));
        List<AgentRequest> requests = List.of(
                new AddBitmapsRequest("r1", "host-a", "vm1", List.of(new DiskBitmap("vda", "chk1"))),
                new AddBitmapsRequest("r1q", "host-a", "vm1", List.of(new DiskBitmap("vda", "chk1")), true),
                new RemoveBitmapsRequest("r2", "host-a", "vm1", List.of(new DiskBitmap("vda", "chk1")), true),
                new ValidateBitmapsRequest("r3", "host-a", "vm1", List.of(new DiskBitmap("vda", "chk1"))),
                new MeasureBitmapsRequest("r4", "host-a", "vm1", List.of(new DiskBitmap("vda", "chk1"))),
                new StartBackupRequest("r5", "host-a", "vm1", "job-1", backup, List.of(new DiskBitmap("vda", "chk2")),
                        false),
                new StartBackupRequest("r7", "host-a", "vm1", "job-2", backup, List.of(), false,
                        java.util.Map.of("vda", "/srv/b/vm1/full.qcow2")),
                new AbortBackupRequest("r6", "host-a", "vm1", "job-1"));

        for (AgentRequest request : requests) {
            String json = mapper.writeValueAsString(request);
            JsonNode tree = mapper.readTree(json);
            assertThat(tree.get("type").asText()).isEqualTo(request.type());
            assertThat(mapper.readValue(json, AgentRequest.class)).isEqualTo(request);
        }
    }

    @Test
    void reportsRoundTripWithErrorsAndStatistics() throws Exception {
        Instant time = Instant.parse("2026-11-25T20:00:00Z");
        AgentResult failed = new AgentResult("r1", "host-a", "vm1", AddBitmapsRequest.TYPE, false,
                ErrorInfo.of(VirErrorCode.VIR_ERR_OPERATION_FAILED, "Bitmap already exists: chk1"), null, time);
        BackupJobReport job = new BackupJobReport("job-1", "host-a", "vm1", "r5", 3, BackupJobState.RUNNING,
                List.of(new DiskJobReport("vda", DiskJobState.RUNNING, 1024, 4096, null)),
                BackupStatistics.push(4096, 1024, 15), null, null, time);

        assertThat(mapper.readValue(mapper.writeValueAsString(failed), AgentReport.class)).isEqualTo(failed);
        AgentReport back = mapper.readValue(mapper.writeValueAsString(job), AgentReport.class);
        assertThat(back).isEqualTo(job);
        assertThat(mapper.readTree(mapper.writeValueAsString(job)).at("/statistics/disk_remaining").asLong())
                .isEqualTo(3072);
    }

    @Test
    void aQuiescedAddIsAnsweredWithTheFrozenCountAndAnOlderAgentsAnswerHasNone() throws Exception {
        Instant time = Instant.parse("2026-11-25T20:00:00Z");
        AgentResult quiesced = new AgentResult("r1", "host-a", "vm1", AddBitmapsRequest.TYPE, true, null, null, time, 2);

        assertThat(mapper.readValue(mapper.writeValueAsString(quiesced), AgentReport.class)).isEqualTo(quiesced);
        AgentResult older = (AgentResult) mapper.readValue("{\"type\":\"result\",\"requestId\":\"r1\","
                + "\"hostId\":\"host-a\",\"domain\":\"vm1\",\"requestType\":\"bitmaps.add\",\"success\":true,"
                + "\"time\":\"2026-11-25T20:00:00Z\"}", AgentReport.class);
        assertThat(older.frozenFilesystems()).as("an agent that knows no quiesce froze nothing").isNull();
        assertThat(mapper.readValue("{\"type\":\"bitmaps.add\",\"requestId\":\"r1\",\"hostId\":\"h\","
                + "\"domain\":\"vm1\",\"bitmaps\":[]}", AddBitmapsRequest.class).quiesce()).isFalse();
    }

    @Test
    void aCompletedDiskCarriesWhatWasWrittenAndAnOlderReportReadsWithoutIt() throws Exception {
        Instant time = Instant.parse("2026-11-25T20:00:00Z");
        WrittenTarget written = new WrittenTarget("/srv/b/vda.qcow2", 1_245_184,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        BackupJobReport job = new BackupJobReport("job-1", "host-a", "vm1", "r5", 4, BackupJobState.COMPLETED,
                List.of(new DiskJobReport("vda", DiskJobState.COMPLETE, 4096, 4096, null, written)),
                BackupStatistics.push(4096, 4096, 15), null, null, time);

        String json = mapper.writeValueAsString(job);

        assertThat(mapper.readValue(json, AgentReport.class)).isEqualTo(job);
        assertThat(mapper.readTree(json).at("/disks/0/written/sha256").asText()).isEqualTo(written.sha256());
        DiskJobReport older = mapper.readValue(
                "{\"disk\":\"vda\",\"state\":\"COMPLETE\",\"processed\":1,\"total\":1}", DiskJobReport.class);
        assertThat(older.written()).as("an agent from before the catalog").isNull();
    }

    @Test
    void aStartWithoutChainBasesReadsAsNoneAndAWrittenTargetCarriesItsBacking() throws Exception {
        StartBackupRequest older = (StartBackupRequest) mapper.readValue("{\"type\":\"backup.start\","
                + "\"requestId\":\"r\",\"hostId\":\"h\",\"domain\":\"vm1\",\"jobId\":\"j\","
                + "\"reuseExternal\":false}", AgentRequest.class);
        assertThat(older.chainBases()).as("a service from before chain bases").isEmpty();

        WrittenTarget rebased = new WrittenTarget("/srv/b/vm1/inc.qcow2", 1, "00", "/srv/b/vm1/full.qcow2");
        String json = mapper.writeValueAsString(rebased);
        assertThat(mapper.readValue(json, WrittenTarget.class)).isEqualTo(rebased);
        assertThat(mapper.readTree(json).get("backing").asText()).isEqualTo("/srv/b/vm1/full.qcow2");
    }

    @Test
    void hostInventoryKeepsEveryBitmapFlag() throws Exception {
        HostInventory inventory = new HostInventory("host-a", Instant.parse("2026-11-25T20:00:00Z"), List.of(
                new DomainInventory("vm1", "prelaunch", List.of(new DiskInventory("vda", "vda-format",
                        "/var/lib/vm1/vda.qcow2", "qcow2", 67108864, false,
                        List.of(new BitmapInfo("chk1", false, true, true, false, 65536, 0)))), List.of())),
                Instant.parse("2026-11-25T19:58:00Z"));

        HostInventory back = mapper.readValue(mapper.writeValueAsString(inventory), HostInventory.class);

        assertThat(back).isEqualTo(inventory);
        assertThat(back.domains().get(0).disks().get(0).bitmaps().get(0).inconsistent()).isTrue();
        assertThat(back.agentStartedAt()).isEqualTo(Instant.parse("2026-11-25T19:58:00Z"));
        assertThat(mapper.readValue("{\"hostId\":\"h\",\"time\":\"2026-11-25T20:00:00Z\",\"domains\":[]}",
                HostInventory.class).agentStartedAt()).as("an older agent's inventory").isNull();
    }
}

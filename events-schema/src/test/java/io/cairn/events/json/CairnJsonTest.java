package io.cairn.events.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.events.event.BackupCompletedEvent;
import io.cairn.events.event.BackupCompletionStatus;
import io.cairn.events.event.CairnEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wire settings every producer and consumer share: ISO times, no nulls, tolerance of newer producers. */
class CairnJsonTest {
    private final ObjectMapper mapper = CairnJson.newMapper();

    @Test
    void writesTimesAsIsoTextAndOmitsNulls() {
        BackupCompletedEvent event = new BackupCompletedEvent("e-1", Instant.parse("2026-11-25T21:00:00Z"), "vm-1",
                null, "job-1", BackupCompletionStatus.CANCELLED, false, null, null);

        JsonNode json = mapper.valueToTree(event);

        assertThat(json.get("time").asText()).isEqualTo("2026-11-25T21:00:00Z");
        assertThat(json.has("commandId")).isFalse();
        assertThat(json.has("errmsg")).isFalse();
        assertThat(json.get("type").asText()).isEqualTo("backup-completed");
        assertThat(json.get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void readsEventsWithFieldsItDoesNotKnow() throws Exception {
        CairnEvent event = mapper.readValue("""
                {"type":"backup-completed","eventId":"e-1","time":"2026-11-25T21:00:00Z","domain":"vm-1",
                 "jobId":"job-1","status":"completed","success":true,"bytesPerSecond":1000}
                """, CairnEvent.class);

        assertThat(event).isInstanceOf(BackupCompletedEvent.class);
        assertThat(((BackupCompletedEvent) event).success()).isTrue();
    }

    @Test
    void readsEventTypesItDoesNotKnowAsNull() throws Exception {
        CairnEvent event = mapper.readValue("""
                {"type":"checkpoint-renamed","eventId":"e-1","time":"2026-11-25T21:00:00Z","domain":"vm-1"}
                """, CairnEvent.class);

        assertThat(event).isNull();
    }

    @Test
    void readsTimesWithAnOffset() throws Exception {
        CairnEvent event = mapper.readValue("""
                {"type":"backup-completed","eventId":"e-1","time":"2026-11-25T22:00:00+01:00","domain":"vm-1",
                 "jobId":"job-1","status":"completed","success":true}
                """, CairnEvent.class);

        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-25T21:00:00Z"));
    }

    @Test
    void configuresAMapperSuppliedByTheCaller() throws Exception {
        ObjectMapper theirs = CairnJson.configure(new ObjectMapper());

        assertThat(theirs.writeValueAsString(Instant.parse("2026-11-25T21:00:00Z"))).isEqualTo("\"2026-11-25T21:00:00Z\"");
    }
}

package io.cairn.events.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.events.event.CheckpointDeletedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Headers follow the CloudEvents Kafka binding in binary mode and mirror the event's own fields. */
class CloudEventHeadersTest {
    private static final CheckpointDeletedEvent EVENT = new CheckpointDeletedEvent("e-42",
            Instant.parse("2026-11-25T21:05:10.5Z"), "web-01", "c-1", List.of("cp-1"), false);

    @Test
    void buildsTheBinaryModeHeadersFromTheEvent() {
        Map<String, byte[]> headers = CloudEventHeaders.forEvent(EVENT, CloudEventHeaders.CHECKPOINT_SERVICE_SOURCE);

        assertThat(headers.keySet()).containsExactly("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject",
                "ce_time", "content-type");
        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "ce_id")).isEqualTo("e-42");
        assertThat(text(headers, "ce_type")).isEqualTo("checkpoint-deleted");
        assertThat(text(headers, "ce_source")).isEqualTo("/cairn/checkpoint-service");
        assertThat(text(headers, "ce_subject")).isEqualTo("web-01");
        assertThat(text(headers, "ce_time")).isEqualTo("2026-11-25T21:05:10.500Z");
        assertThat(text(headers, "content-type")).isEqualTo("application/json");
    }

    @Test
    void readsBackWhatItWrote() {
        Map<String, byte[]> headers = CloudEventHeaders.forEvent(EVENT, CloudEventHeaders.CHECKPOINT_SERVICE_SOURCE);

        CloudEventAttributes attributes = CloudEventAttributes.from(headers);

        assertThat(attributes).isEqualTo(new CloudEventAttributes("1.0", "e-42", "checkpoint-deleted",
                "/cairn/checkpoint-service", "web-01", EVENT.time(), "application/json"));
    }

    @Test
    void refusesRecordsThatAreNotCloudEvents() {
        Map<String, byte[]> headers = new HashMap<>(CloudEventHeaders.forEvent(EVENT, "/x"));
        headers.remove(CloudEventHeaders.ID);

        assertThatThrownBy(() -> CloudEventAttributes.from(headers)).hasMessageContaining("ce_id");
    }

    @Test
    void needsASource() {
        assertThatThrownBy(() -> CloudEventHeaders.forEvent(EVENT, null)).isInstanceOf(NullPointerException.class);
    }

    private static String text(Map<String, byte[]> headers, String name) {
        return new String(headers.get(name), StandardCharsets.UTF_8);
    }
}

package io.cairn.events.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import org.junit.jupiter.api.Test;

/** Statistics keep libvirt's typed-parameter names on the wire, and each mode writes only its own fields. */
class BackupStatisticsTest {

    @Test
    void pushWritesLibvirtsPushFields() {
        JsonNode json = CairnJson.mapper().valueToTree(BackupStatistics.push(100, 30, 2500));

        assertThat(json.fieldNames()).toIterable()
                .containsExactly("disk_total", "disk_processed", "disk_remaining", "time_elapsed");
        assertThat(json.get("disk_remaining").asLong()).isEqualTo(70);
    }

    @Test
    void pullWritesLibvirtsScratchFields() {
        JsonNode json = CairnJson.mapper().valueToTree(BackupStatistics.pull(10, 1000, 2500));

        assertThat(json.fieldNames()).toIterable().containsExactly("disk_temp_used", "disk_temp_total", "time_elapsed");
    }

    @Test
    void bitmapContextIsQemusDirtyBitmapMetaContext() {
        assertThat(NbdExport.bitmapContextOf("backup-vda")).isEqualTo("qemu:dirty-bitmap:backup-vda");
        assertThat(NbdExport.bitmapContextOf(null)).isNull();
    }
}

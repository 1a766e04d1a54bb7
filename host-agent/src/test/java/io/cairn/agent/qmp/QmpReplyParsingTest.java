package io.cairn.agent.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Parsing of reply shapes that a healthy test QEMU rarely produces: crash leftovers, anonymous devices. */
class QmpReplyParsingTest {

    @Test
    void bitmapLeftInconsistentByACrashIsParsed() throws Exception {
        // The shape QEMU 7.2 reports for a bitmap that was "in-use" when QEMU was killed (qemu-qmp-verified.md §6).
        JsonNode json = QmpClient.MAPPER.readTree("""
                {"name":"chk1","recording":false,"persistent":true,"inconsistent":true,
                 "busy":false,"granularity":65536,"count":0}""");

        DirtyBitmap bitmap = DirtyBitmap.fromJson(json);

        assertThat(bitmap.inconsistent()).isTrue();
        assertThat(bitmap.recording()).isFalse();
        assertThat(bitmap.hasName("chk1")).isTrue();
    }

    @Test
    void anonymousJobBitmapHasNoName() throws Exception {
        JsonNode json = QmpClient.MAPPER.readTree("""
                {"recording":false,"persistent":false,"busy":false,"granularity":65536,"count":16777216}""");

        DirtyBitmap bitmap = DirtyBitmap.fromJson(json);

        assertThat(bitmap.name()).isEmpty();
        assertThat(bitmap.inconsistent()).as("QEMU omits the member unless true").isFalse();
    }

    @Test
    void deviceIdComesFromTheQdevPath() {
        assertThat(device("/machine/peripheral/vda/virtio-backend").deviceId()).contains("vda");
        assertThat(device("ide0-cd0").deviceId()).contains("ide0-cd0");
        assertThat(device("/machine/peripheral-anon/device[0]/virtio-backend").deviceId()).isEmpty();
        assertThat(device("").deviceId()).isEmpty();
    }

    private static BlockDevice device(String qdev) {
        return new BlockDevice("", qdev, java.util.Optional.of("node"));
    }
}

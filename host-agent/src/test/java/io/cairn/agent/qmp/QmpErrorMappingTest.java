package io.cairn.agent.qmp;

import static io.cairn.agent.qmp.QmpTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.testing.qemu.GuestlessQemu;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QEMU error replies surface as typed exceptions carrying QEMU's class and desc. */
class QmpErrorMappingTest {

    @Test
    void qemuErrorsMapToTypedExceptions(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "errors");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            QmpCommands commands = new QmpCommands(client);

            QmpErrorException unknownNode = catchThrowableOfType(QmpErrorException.class, () -> commands.transaction(
                    List.of(TransactionAction.addBitmap("nosuch", "chk1", true, false))).await().atMost(WAIT));
            assertThat(unknownNode.errorClass()).isEqualTo("GenericError");
            assertThat(unknownNode.desc()).isEqualTo("Cannot find device='nosuch' nor node-name='nosuch'");
            assertThat(unknownNode.command()).isEqualTo("transaction");

            // block-job-cancel is one of the few commands with a class other than GenericError.
            DeviceNotActiveException noJob = catchThrowableOfType(DeviceNotActiveException.class, () -> client.execute(
                    "block-job-cancel", QmpClient.arguments().put("device", "nope")).await().atMost(WAIT));
            assertThat(noJob.desc()).isEqualTo("Block job 'nope' not found");

            assertThatThrownBy(() -> client.execute("no-such-command").await().atMost(WAIT))
                    .isInstanceOf(CommandNotFoundException.class)
                    .hasMessageContaining("The command no-such-command has not been found");

            // The connection is still usable after errors.
            assertThat(commands.queryVersion().await().atMost(WAIT).major()).isEqualTo(7);
        }
    }

    @Test
    void hmpErrorTextBecomesAnException(@TempDir Path tempDir) {
        try (GuestlessQemu qemu = QmpTestSupport.startWithOneDisk(tempDir, "hmperr");
                QmpClient client = QmpTestSupport.connect(qemu)) {
            // -d needs the BlockBackend's QOM path; the bare qdev id of a virtio-blk-pci has none.
            HmpErrorException error = catchThrowableOfType(HmpErrorException.class, () -> new QmpCommands(client)
                    .hmp("qemu-io -d vda \"write -P 0xab 0 4k\"").await().atMost(WAIT));

            assertThat(error.output()).contains("Device does not have a block device backend");
        }
    }
}

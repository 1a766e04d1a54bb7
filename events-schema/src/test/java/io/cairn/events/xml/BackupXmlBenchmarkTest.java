package io.cairn.events.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.DomainDiskInfo;
import io.cairn.events.model.DomainDisks;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How fast a typical backup request goes through parse + validate + align + format (a pull backup of two
 * disks): run on demand with {@code mvn -pl events-schema test -Dgroups=benchmark}.
 */
@Tag("benchmark")
class BackupXmlBenchmarkTest {

    private static final int WARM_UP_OPERATIONS = 50_000;
    private static final int MEASURED_OPERATIONS = 200_000;

    private static final String PULL_TWO_DISKS = """
            <domainbackup mode='pull'>
              <incremental>c1</incremental>
              <server transport='tcp' name='localhost' port='10809'/>
              <disks>
                <disk name='vda' type='file'>
                  <driver type='qcow2'/>
                  <scratch file='/var/lib/cairn/scratch/vda.qcow2'/>
                </disk>
                <disk name='vdb' type='file' backupmode='full'>
                  <scratch file='/var/lib/cairn/scratch/vdb.qcow2'/>
                </disk>
              </disks>
            </domainbackup>
            """;

    private static final DomainDisks DOMAIN = DomainDisks.of(
            DomainDiskInfo.file("vda", "/var/lib/libvirt/images/vm1-vda.qcow2", "qcow2"),
            DomainDiskInfo.file("vdb", "/var/lib/libvirt/images/vm1-vdb.qcow2", "qcow2"));

    private final BackupXml backupXml = new BackupXml();

    @Test
    void parseValidateAlignFormatThroughput() {
        String first = roundTrip();
        assertThat(first).contains("<disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c1'>")
                .contains("<disk name='vdb' backup='yes' type='file' backupmode='full'>");

        long sink = 0;
        for (int i = 0; i < WARM_UP_OPERATIONS; i++) {
            sink += roundTrip().length();
        }
        long[] nanos = new long[MEASURED_OPERATIONS];
        long start = System.nanoTime();
        for (int i = 0; i < MEASURED_OPERATIONS; i++) {
            long before = System.nanoTime();
            sink += roundTrip().length();
            nanos[i] = System.nanoTime() - before;
        }
        long elapsed = System.nanoTime() - start;

        Arrays.sort(nanos);
        double opsPerSecond = MEASURED_OPERATIONS / (elapsed / 1e9);
        double medianMicros = nanos[MEASURED_OPERATIONS / 2] / 1e3;
        double p99Micros = nanos[(int) (MEASURED_OPERATIONS * 0.99)] / 1e3;
        System.out.printf(Locale.ROOT,
                "BackupXml pull/2 disks parse+validate+align+format: %d ops in %.1f ms, %.0f ops/s, "
                        + "median %.1f us, p99 %.1f us (warm-up %d ops)%n",
                MEASURED_OPERATIONS, elapsed / 1e6, opsPerSecond, medianMicros, p99Micros, WARM_UP_OPERATIONS);

        assertThat(sink).isEqualTo((long) first.length() * (WARM_UP_OPERATIONS + MEASURED_OPERATIONS));
        assertThat(opsPerSecond).isPositive();
    }

    private String roundTrip() {
        BackupDefinition parsed = backupXml.parse(PULL_TWO_DISKS);
        return backupXml.format(BackupAlignment.align(parsed, DOMAIN, "1700000000"));
    }
}

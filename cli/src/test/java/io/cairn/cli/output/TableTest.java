package io.cairn.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedToTheWidestCellUnderAVirshHeader() {
        Table table = new Table("Name", "Creation Time").row("c1", "2026-01-01 10:00:00 +0000")
                .row("a-longer-name", null);
        assertThat(table.lines()).containsExactly(
                " Name           Creation Time",
                "------------------------------",
                " c1             2026-01-01 10:00:00 +0000",
                " a-longer-name  -");
    }

    @Test
    void theProgressLineShowsBarPercentBytesAndRate() {
        assertThat(ProgressBar.render("RUNNING", 16L << 20, 64L << 20, 8L << 20, ""))
                .isEqualTo("[#######                       ]  25%  16.000 MiB / 64.000 MiB  8.000 MiB/s  RUNNING");
        assertThat(ProgressBar.render("QUEUED", 0, 0, 0, "")).startsWith("[" + " ".repeat(30) + "]   0%");
    }

    @Test
    void bytesUseBinaryUnits() {
        assertThat(Bytes.of(512)).isEqualTo("512 B");
        assertThat(Bytes.of(1536)).isEqualTo("1.500 KiB");
        assertThat(Bytes.of(3L << 30)).isEqualTo("3.000 GiB");
    }
}

package io.cairn.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.events.agent.AgentResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request journal: answers survive a restart, every append is forced to disk, compaction is atomic. */
class ResultJournalTest {

    private static final String FILE = "request-results.jsonl";

    @Test
    void everyRecordIsForcedToDiskAfterItIsWritten(@TempDir Path dir) throws IOException {
        Forces forces = new Forces();
        ResultJournal journal = journal(dir, 100, forces);
        forces.seen.clear();

        for (int i = 1; i <= 3; i++) {
            journal.record(result("r" + i));

            // Forced once per record, with the whole line already in the file: a crash after record() returns
            // (and so after the answer is published) cannot lose it.
            assertThat(forces.seen).hasSize(i);
            assertThat(forces.seen.get(i - 1)).isEqualTo(new Force(dir.resolve(FILE), Files.size(dir.resolve(FILE))));
        }
        assertThat(Files.readAllLines(dir.resolve(FILE))).hasSize(3);
    }

    @Test
    void compactionForcesTheNewFileBeforeTheRenameAndTheDirectoryAfterIt(@TempDir Path dir) throws IOException {
        Forces forces = new Forces();
        ResultJournal journal = journal(dir, 2, forces);
        for (int i = 1; i <= 4; i++) {
            journal.record(result("r" + i));
        }
        forces.seen.clear();

        journal.record(result("r5"));

        // The append, then the compacted copy (2 lines, under its temporary name), then the directory entry.
        assertThat(forces.seen).extracting(Force::path)
                .containsExactly(dir.resolve(FILE), dir.resolve(FILE + ".tmp"), dir);
        assertThat(Files.readAllLines(dir.resolve(FILE))).hasSize(2);
        assertThat(Files.exists(dir.resolve(FILE + ".tmp"))).isFalse();
    }

    @Test
    void answersSurviveAReopenUpToTheCapacity(@TempDir Path dir) throws IOException {
        ResultJournal first = journal(dir, 3, new Forces());
        for (int i = 1; i <= 7; i++) {
            first.record(result("r" + i));
        }

        ResultJournal second = journal(dir, 3, new Forces());

        assertThat(second.size()).isEqualTo(3);
        assertThat(second.find("r7")).map(AgentResult::requestId).contains("r7");
        assertThat(second.find("r5")).isPresent();
        assertThat(second.find("r4")).isEmpty();
    }

    @Test
    void tornLastLineOfACrashIsSkippedAndAppendsGoOn(@TempDir Path dir) throws IOException {
        ResultJournal first = journal(dir, 10, new Forces());
        first.record(result("r1"));
        Files.writeString(dir.resolve(FILE), "{\"requestId\":\"r2\",\"hostId", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        ResultJournal second = journal(dir, 10, new Forces());
        second.record(result("r3"));
        ResultJournal third = journal(dir, 10, new Forces());

        assertThat(third.find("r1")).isPresent();
        assertThat(third.find("r2")).isEmpty();
        assertThat(third.find("r3")).isPresent();
    }

    private static ResultJournal journal(Path dir, int capacity, Forces forces) {
        ResultJournal journal = new ResultJournal();
        journal.fsync = forces;
        journal.open(dir, capacity);
        return journal;
    }

    private static AgentResult result(String requestId) {
        return new AgentResult(requestId, "host-1", "vm", "add-bitmaps", true, null, List.of(), Instant.now());
    }

    private record Force(Path path, long size) {
    }

    /** Forces for real, and remembers what was forced and how big it was at that moment. */
    private static final class Forces implements ResultJournal.Fsync {
        final List<Force> seen = new ArrayList<>();

        @Override
        public void force(Path path, FileChannel channel, boolean metadata) throws IOException {
            seen.add(new Force(path, Files.isDirectory(path) ? 0 : channel.size()));
            channel.force(metadata);
        }
    }
}

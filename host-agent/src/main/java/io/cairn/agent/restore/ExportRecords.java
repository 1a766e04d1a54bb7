package io.cairn.agent.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The agent's durable list of the chain-export daemons it started, in its state directory, so an agent that died
 * (killed, crashed, restarted by its pod) can stop what it left running. A record is written and fsynced before the
 * daemon is spawned, then its pid is appended; an agent killed in between leaves a record without a pid, and the
 * reconciler then looks for the daemon by its key directory, which only that daemon's command line names. Blocking
 * file I/O: call it off the event loop.
 */
final class ExportRecords {

    private static final String SUFFIX = ".export";

    /**
     * One export's record: {@code keyDir} is also the marker that tells its daemon from any other process.
     *
     * @param pid the daemon's pid; empty when the agent died before it could write it
     */
    record Entry(String exportId, String domain, Path socket, Path keyDir, OptionalLong pid) {
    }

    private final Path directory;

    ExportRecords(Path directory) {
        this.directory = directory;
    }

    /** Durable when this returns: the daemon about to start can be found again. */
    synchronized void beforeStart(String exportId, String domain, Path socket, Path keyDir) {
        write(exportId, String.join("\n", exportId, domain, socket.toString(), keyDir.toString()) + "\n", true);
    }

    synchronized void started(String exportId, long pid) {
        write(exportId, "pid " + pid + "\n", false);
    }

    /** The daemon is gone and its files with it. */
    synchronized void remove(String exportId) {
        try {
            Files.deleteIfExists(fileOf(exportId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot drop the record of chain export " + exportId, e);
        }
    }

    synchronized java.util.Optional<Entry> get(String exportId) {
        return all().stream().filter(entry -> entry.exportId().equals(exportId)).findFirst();
    }

    synchronized List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() < 4) {
                    // Torn first write: fsynced before the spawn, so no daemon was started after it.
                    Files.deleteIfExists(file);
                    continue;
                }
                OptionalLong pid = lines.stream().skip(4).filter(line -> line.startsWith("pid "))
                        .mapToLong(line -> Long.parseLong(line.substring(4).strip())).findFirst();
                entries.add(new Entry(lines.get(0), lines.get(1), Path.of(lines.get(2)), Path.of(lines.get(3)), pid));
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the chain export records in " + directory, e);
        }
        return entries;
    }

    private void write(String exportId, String text, boolean fresh) {
        try {
            Files.createDirectories(directory);
            StandardOpenOption mode = fresh ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
            try (FileChannel channel = FileChannel.open(fileOf(exportId), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, mode)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            if (fresh) {
                try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record chain export " + exportId + " in " + directory, e);
        }
    }

    private Path fileOf(String exportId) {
        // Export ids are checked to be plain names (BackupNames.isUsableJobId) before anything is recorded.
        return directory.resolve(exportId + SUFFIX);
    }
}

package io.cairn.agent.backup;

import io.cairn.agent.messaging.AgentMessagingConfig;
import io.cairn.agent.storage.StoreFiles;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
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
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The agent's durable list of the image files it is about to create for a job, written (and fsynced) before each
 * file exists, then again with the inode it created (so only that file is ever deleted), and dropped once the job
 * has ended and its files are settled. An agent killed between creating a
 * target and handing it to QEMU leaves a file no QEMU node names; after a restart the reconciler finds it here, and
 * deletes it, since its job never ran. Blocking file I/O: call it off the event loop.
 */
@Singleton
public class CreatedStores {

    private static final Logger LOG = Logger.getLogger(CreatedStores.class);
    private static final String SUFFIX = ".stores";

    /**
     * The files one job meant to create ({@code stores}) and those it did create, with their inodes ({@code created}):
     * a store recorded without an inode (the agent died between the two records, or the creation was refused) is
     * never deleted, since the file there may not be the job's.
     */
    public record Entry(String jobId, String domain, List<Path> stores, List<StoreFiles.Created> created) {
    }

    private final Path directory;

    /** Beside the request journal, in the agent's state directory (which survives restarts). */
    @Inject
    public CreatedStores(AgentMessagingConfig config) {
        this(config.stateDir().resolve("created-stores"));
    }

    public CreatedStores(Path directory) {
        this.directory = directory;
    }

    /** Records that {@code store} is about to be created for the job; durable when this returns. */
    public synchronized void beforeCreating(String jobId, String domain, Path store) {
        append(jobId, domain, store + "\n");
    }

    /** Records the inode the job created at {@code created.path()}; durable when this returns. */
    public synchronized void created(String jobId, String domain, StoreFiles.Created created) {
        append(jobId, domain, created.path() + "\t" + created.fileKey() + "\n");
    }

    private void append(String jobId, String domain, String line) {
        Path store = Path.of(line.strip().split("\t")[0]);
        Path file = fileOf(jobId);
        try {
            Files.createDirectories(directory);
            boolean fresh = !Files.exists(file);
            String lines = (fresh ? jobId + "\n" + domain + "\n" : "") + line;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            if (fresh) {
                syncDirectory();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the store " + store + " of job " + jobId, e);
        }
    }

    /** The job has ended and its files were deleted or kept as its end demands: nothing left to sweep. */
    public synchronized void settled(String jobId) {
        try {
            if (Files.deleteIfExists(fileOf(jobId))) {
                syncDirectory();
            }
        } catch (IOException e) {
            // The next reconcile deletes the files again (a no-op once gone) and retries this.
            LOG.warnf("cannot drop the store record of job %s: %s", jobId, e.getMessage());
        }
    }

    /** True while the job has files recorded and not settled. */
    public synchronized boolean isUnsettled(String jobId) {
        return Files.exists(fileOf(jobId));
    }

    /** Every job with files recorded and not settled. */
    public synchronized List<Entry> unsettled() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() < 2) {
                    // Torn first write: the record names no file, so no file can have been created after it.
                    Files.deleteIfExists(file);
                    continue;
                }
                List<Path> stores = new ArrayList<>();
                List<StoreFiles.Created> created = new ArrayList<>();
                try (Stream<String> records = lines.stream().skip(2).filter(line -> !line.isBlank())) {
                    records.forEach(line -> {
                        String[] fields = line.split("\t", 2);
                        if (fields.length == 2) {
                            created.add(new StoreFiles.Created(Path.of(fields[0]), fields[1]));
                        } else {
                            stores.add(Path.of(fields[0]));
                        }
                    });
                }
                entries.add(new Entry(lines.get(0), lines.get(1), List.copyOf(stores), List.copyOf(created)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store records in " + directory, e);
        }
        return entries;
    }

    private Path fileOf(String jobId) {
        // Job ids are checked to be safe names before a job starts (BackupNames.isUsableJobId); the hash keeps
        // the file name short and fixed whatever the id looks like.
        return directory.resolve(BackupNames.jobHash(jobId) + SUFFIX);
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

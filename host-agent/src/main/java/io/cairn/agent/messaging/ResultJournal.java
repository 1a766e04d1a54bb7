package io.cairn.agent.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.json.CairnJson;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Remembers the answer to every recent request, on disk, so a request delivered again (Kafka redelivery after a
 * crash, or a resend) gets its first answer back instead of running twice: adding a bitmap twice would fail with
 * "Bitmap already exists" and turn one success into two outcomes. Each answer is fsynced before record() returns.
 * Blocking file I/O: call it off the event loop.
 */
@ApplicationScoped
public class ResultJournal {
    private static final Logger LOG = Logger.getLogger(ResultJournal.class);
    private static final String FILE_NAME = "request-results.jsonl";

    private final Map<String, AgentResult> recent = new LinkedHashMap<>(16, 0.75f, false);
    private int capacity;
    private Path file;
    private FileChannel channel;
    private int linesInFile;
    /** How bytes are made durable; tests replace it to see what is forced, and when. */
    Fsync fsync = (path, channel, metadata) -> channel.force(metadata);

    @Inject
    AgentMessagingConfig config;

    @PostConstruct
    void open() {
        open(config.stateDir(), config.journalCapacity());
    }

    synchronized void open(Path stateDir, int capacity) {
        this.capacity = capacity;
        this.file = stateDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    readLine(line).ifPresent(this::remember);
                }
            }
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the request journal " + file, e);
        }
    }

    public synchronized Optional<AgentResult> find(String requestId) {
        return Optional.ofNullable(recent.get(requestId));
    }

    /** Records an answer durably before it is published. */
    public synchronized void record(AgentResult result) {
        remember(result);
        try {
            append(CairnJson.mapper().writeValueAsBytes(result));
            if (++linesInFile > 2 * capacity) {
                rewrite();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request journal " + file, e);
        }
    }

    public synchronized int size() {
        return recent.size();
    }

    private void remember(AgentResult result) {
        recent.remove(result.requestId());
        recent.put(result.requestId(), result);
        while (recent.size() > capacity) {
            recent.remove(recent.keySet().iterator().next());
        }
    }

    /**
     * One line, forced to disk before record() returns: the answer is published right after, and a redelivery
     * after a power loss must still find it. fdatasync is enough: it covers the data and the file's new length.
     */
    private void append(byte[] json) throws IOException {
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (line.hasRemaining()) {
            channel.write(line);
        }
        fsync.force(file, channel, false);
    }

    /** Compacts the file to the remembered answers, replacing it atomically and durably. */
    private void rewrite() throws IOException {
        if (channel != null) {
            channel.close();
        }
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        List<String> lines = new ArrayList<>();
        for (AgentResult result : recent.values()) {
            lines.add(CairnJson.mapper().writeValueAsString(result));
        }
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        // The copy's data must be on disk before the rename makes it the journal, or a crash leaves it empty.
        try (FileChannel written = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            fsync.force(tmp, written, true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // The rename lives in the directory: until that is forced, a crash can bring the old file back.
        Path directory = file.toAbsolutePath().getParent();
        try (FileChannel entries = FileChannel.open(directory, StandardOpenOption.READ)) {
            fsync.force(directory, entries, true);
        }
        linesInFile = lines.size();
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** fsync(2) or fdatasync(2) of one open file or directory. */
    interface Fsync {
        void force(Path path, FileChannel channel, boolean metadata) throws IOException;
    }

    private static Optional<AgentResult> readLine(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CairnJson.mapper().readValue(line, AgentResult.class));
        } catch (JsonProcessingException e) {
            // A torn last line after a crash: that answer was never published, so forgetting it is safe.
            LOG.warnf("skipping an unreadable line of the request journal: %s", e.getOriginalMessage());
            return Optional.empty();
        }
    }
}

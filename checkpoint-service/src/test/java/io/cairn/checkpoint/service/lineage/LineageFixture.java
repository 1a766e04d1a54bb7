package io.cairn.checkpoint.service.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Builds small lineages from one-line specs and prints them back as one line, so each test states its tree, its
 * action and the exact resulting tree.
 *
 * <p>Spec: {@code "a", "b<a", "c<b"} means a root a, b child of a, c child of b; creation times follow the order of
 * the specs (100, 200, ...). Shape: {@code "a(b(c*) d)"}: children in parentheses, siblings by creation time, the
 * current checkpoint starred.
 */
final class LineageFixture {
    static final String DOMAIN = "vm-test";

    private LineageFixture() {
    }

    /** A stored lineage with no current checkpoint. */
    static CheckpointTree lineage(String... specs) {
        return lineageWithCurrent(null, specs);
    }

    static CheckpointTree lineageWithCurrent(String current, String... specs) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        long time = 100;
        for (String spec : specs) {
            String[] parts = spec.split("<");
            String parent = parts.length > 1 ? parts[1] : null;
            checkpoints.add(new Checkpoint(definition(parts[0], parent, time), CheckpointHealth.ACTIVE, "cmd-" + parts[0]));
            time += 100;
        }
        return CheckpointTree.restore(DOMAIN, checkpoints, current);
    }

    /** A definition on disks vda and vdb, both with a bitmap named after the checkpoint. */
    static CheckpointDefinition definition(String name, String parent, long creationTime) {
        return new CheckpointDefinition(name, null, parent, creationTime,
                List.of(bitmapDisk("vda", name), bitmapDisk("vdb", name)), null);
    }

    static CheckpointDefinition newCheckpoint(String name, long creationTime) {
        return definition(name, null, creationTime);
    }

    static CheckpointDisk bitmapDisk(String disk, String bitmap) {
        return new CheckpointDisk(disk, CheckpointDiskMode.BITMAP, bitmap, null);
    }

    static String shape(CheckpointTree tree) {
        StringBuilder out = new StringBuilder();
        appendSiblings(tree, tree.listAll(CheckpointListFlag.ROOTS), out);
        return out.toString();
    }

    private static void appendSiblings(CheckpointTree tree, List<Checkpoint> siblings, StringBuilder out) {
        for (int i = 0; i < siblings.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            Checkpoint checkpoint = siblings.get(i);
            out.append(checkpoint.name());
            if (tree.currentName().filter(checkpoint.name()::equals).isPresent()) {
                out.append('*');
            }
            List<Checkpoint> children = tree.listChildren(checkpoint.name());
            if (!children.isEmpty()) {
                out.append('(');
                appendSiblings(tree, children, out);
                out.append(')');
            }
        }
    }

    static List<String> names(List<Checkpoint> checkpoints) {
        return checkpoints.stream().map(Checkpoint::name).toList();
    }

    /** Asserts libvirt's error exactly as a caller sees it: code name, virErrorNumber and message. */
    static void assertLibvirtError(ThrowingCallable call, String code, int number, String message) {
        CairnException error = catchThrowableOfType(CairnException.class, call);
        assertThat(error).as("expected %s", code).isNotNull();
        ErrorInfo info = error.toErrorInfo();
        assertThat(info.code()).isEqualTo(code);
        assertThat(info.number()).isEqualTo(number);
        assertThat(info.message()).isEqualTo(message);
    }
}

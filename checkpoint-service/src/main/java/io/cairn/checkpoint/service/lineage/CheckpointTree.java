package io.cairn.checkpoint.service.lineage;

import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.command.LibvirtFlag;
import io.cairn.events.event.BrokenBitmap;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.xml.CheckpointAlignment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One domain's checkpoint lineage with libvirt's semantics exactly (create, redefine, delete, lookup, parent,
 * listing), plus each checkpoint's health; pure and in memory, so every rule is testable without a database.
 */
public final class CheckpointTree {
    private static final String DELETE_API = "virDomainCheckpointDelete";

    private final String domain;
    private final LineageNode metaroot = LineageNode.metaroot();
    private final Map<String, LineageNode> nodes = new HashMap<>();
    private LineageNode current;

    private CheckpointTree(String domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
    }

    public static CheckpointTree empty(String domain) {
        return new CheckpointTree(domain);
    }

    /**
     * Rebuilds a stored lineage. Unlike libvirt, which only warns about a dangling parent, a stored lineage that is
     * not a tree is refused: the database's constraints make it impossible, so it means a bug.
     */
    public static CheckpointTree restore(String domain, Collection<Checkpoint> checkpoints, String currentName) {
        CheckpointTree tree = new CheckpointTree(domain);
        for (Checkpoint checkpoint : checkpoints) {
            if (tree.nodes.put(checkpoint.name(), new LineageNode(checkpoint)) != null) {
                throw LineageErrors.inconsistent(domain, "checkpoint " + checkpoint.name() + " appears twice");
            }
        }
        for (LineageNode node : tree.nodes.values()) {
            String parentName = node.checkpoint.parent();
            LineageNode parent = parentName == null ? tree.metaroot : tree.nodes.get(parentName);
            if (parent == null) {
                throw LineageErrors.inconsistent(domain, "parent " + parentName + " of " + node.name() + " is missing");
            }
            node.attachTo(parent);
        }
        int[] reachable = {0};
        tree.metaroot.forEachDescendant(node -> reachable[0]++);
        if (reachable[0] != tree.nodes.size()) {
            throw LineageErrors.inconsistent(domain, "the parent links form a cycle");
        }
        if (currentName != null) {
            tree.current = tree.nodes.get(currentName);
            if (tree.current == null) {
                throw LineageErrors.inconsistent(domain, "current checkpoint " + currentName + " is missing");
            }
        }
        return tree;
    }

    public String domain() {
        return domain;
    }

    public int size() {
        return nodes.size();
    }

    public Optional<String> currentName() {
        return current == null ? Optional.empty() : Optional.of(current.name());
    }

    /** {@code virDomainCheckpointLookupByName}. */
    public Checkpoint lookup(String name) {
        return node(name).checkpoint;
    }

    public boolean contains(String name) {
        return nodes.containsKey(name);
    }

    /** {@code virDomainCheckpointGetParent}: a root has none, which libvirt reports as a missing checkpoint. */
    public Checkpoint parent(String name) {
        LineageNode node = node(name);
        if (node.parent.isMetaroot()) {
            throw LineageErrors.noParent(name);
        }
        return node.parent.checkpoint;
    }

    /**
     * {@code virDomainCheckpointCreateXML} without REDEFINE: the new checkpoint's parent is the current one, and it
     * becomes current. The caller has already parsed the definition with its defaults (name, creation time, disks
     * aligned to the live domain, captured domain XML); any parent given is ignored, as libvirt ignores it.
     */
    public Checkpoint create(CheckpointDefinition definition, String commandId) {
        Objects.requireNonNull(definition.name(), "a new checkpoint's name is defaulted by the caller");
        Objects.requireNonNull(definition.creationTime(), "a new checkpoint's creation time is set by the caller");
        if (nodes.containsKey(definition.name())) {
            throw LineageErrors.alreadyExists(definition.name());
        }
        String parentName = current == null ? null : current.name();
        Checkpoint checkpoint = new Checkpoint(normalized(definition, parentName), CheckpointHealth.ACTIVE, commandId);
        LineageNode node = new LineageNode(checkpoint);
        nodes.put(checkpoint.name(), node);
        node.attachTo(current == null ? metaroot : current);
        current = node;
        return checkpoint;
    }

    /**
     * {@code virDomainCheckpointCreateXML} with REDEFINE: (re)inserts metadata under the given parent. An existing
     * name is replaced in place and keeps its children and health. The redefined checkpoint becomes current when
     * its parent is the current one, or when there is no current checkpoint yet.
     */
    public Checkpoint redefine(CheckpointDefinition definition, String commandId) {
        if (definition.name() == null) {
            throw LineageErrors.redefineWithoutName();
        }
        if (definition.creationTime() == null) {
            throw LineageErrors.redefineWithoutCreationTime();
        }
        checkCycles(definition.name(), definition.parent());
        LineageNode parent = definition.parent() == null ? metaroot : nodes.get(definition.parent());
        boolean becomesCurrent = current == null || (!parent.isMetaroot() && parent == current);

        CheckpointDefinition normalized = normalized(definition, definition.parent());
        LineageNode node = nodes.get(definition.name());
        if (node == null) {
            node = new LineageNode(new Checkpoint(normalized, CheckpointHealth.ACTIVE, commandId));
            nodes.put(definition.name(), node);
        } else {
            node.checkpoint = new Checkpoint(normalized, healthStillApplying(node.checkpoint.health(), normalized),
                    commandId);
        }
        node.attachTo(parent);
        if (becomesCurrent) {
            current = node;
        }
        return node.checkpoint;
    }

    /** libvirt's virDomainMomentCheckCycles, including which ancestor its cycle message names. */
    private void checkCycles(String name, String parentName) {
        if (parentName == null) {
            return;
        }
        if (parentName.equals(name)) {
            throw LineageErrors.ownParent(name);
        }
        LineageNode ancestor = nodes.get(parentName);
        if (ancestor == null) {
            throw LineageErrors.parentNotFound(parentName, name);
        }
        while (!ancestor.parent.isMetaroot()) {
            if (ancestor.parent.name().equals(name)) {
                throw LineageErrors.cycle(ancestor.name(), name);
            }
            ancestor = ancestor.parent;
        }
    }

    /** Broken disks that no longer carry the same bitmap after a redefinition are forgotten, not carried over. */
    private static CheckpointHealth healthStillApplying(CheckpointHealth health, CheckpointDefinition definition) {
        if (!health.isBroken()) {
            return health;
        }
        List<BrokenBitmap> stillBroken = new ArrayList<>();
        for (BrokenBitmap broken : health.brokenDisks()) {
            if (definition.disks() != null && definition.disks().stream().anyMatch(disk ->
                    disk.checkpoint() == CheckpointDiskMode.BITMAP && disk.name().equals(broken.disk())
                            && disk.bitmap().equals(broken.bitmap()))) {
                stillBroken.add(broken);
            }
        }
        return stillBroken.isEmpty() ? CheckpointHealth.ACTIVE : CheckpointHealth.broken(stillBroken);
    }

    /** libvirt's defaults that need no domain: a disk without a mode records a bitmap named after the checkpoint. */
    private static CheckpointDefinition normalized(CheckpointDefinition definition, String parent) {
        List<CheckpointDisk> disks = null;
        if (definition.disks() != null) {
            disks = new ArrayList<>(definition.disks().size());
            for (CheckpointDisk disk : definition.disks()) {
                CheckpointDiskMode mode = disk.checkpoint() == null ? CheckpointDiskMode.BITMAP : disk.checkpoint();
                // Sizes are a measurement for one XML dump, never stored.
                disks.add(new CheckpointDisk(disk.name(), mode, mode == CheckpointDiskMode.NO ? null : disk.bitmap(),
                        null));
            }
        }
        return CheckpointAlignment.assignDefaultBitmapNames(new CheckpointDefinition(definition.name(),
                definition.description(), parent, definition.creationTime(), disks, definition.domainXml()));
    }

    /** The deletion {@code virDomainCheckpointDelete} would make, without making it. */
    public DeletionPlan planDeletion(String name, Set<CheckpointDeleteFlag> flags) {
        return planDeletion(name, LibvirtFlag.mask(flags));
    }

    /** As {@link #planDeletion(String, Set)} with libvirt's raw flags argument; unknown bits are refused. */
    public DeletionPlan planDeletion(String name, int flags) {
        requireDeleteFlags(flags);
        return DeletionPlanner.plan(node(name), current, deleteFlags(flags));
    }

    /** {@code virDomainCheckpointDelete} on the metadata: plans, applies and returns what was done. */
    public DeletionPlan delete(String name, Set<CheckpointDeleteFlag> flags) {
        return delete(name, LibvirtFlag.mask(flags));
    }

    public DeletionPlan delete(String name, int flags) {
        DeletionPlan plan = planDeletion(name, flags);
        for (String removed : plan.removed()) {
            nodes.remove(removed).detach();
        }
        for (Reparenting move : plan.reparented()) {
            LineageNode child = nodes.get(move.checkpoint());
            child.checkpoint = child.checkpoint.withParent(move.newParent());
            child.attachTo(move.newParent() == null ? metaroot : nodes.get(move.newParent()));
        }
        current = plan.currentAfter() == null ? null : nodes.get(plan.currentAfter());
        return plan;
    }

    private static void requireDeleteFlags(int flags) {
        int children = CheckpointDeleteFlag.CHILDREN.value();
        int childrenOnly = CheckpointDeleteFlag.CHILDREN_ONLY.value();
        if ((flags & children) != 0 && (flags & childrenOnly) != 0) {
            throw LineageErrors.exclusiveFlags(CheckpointDeleteFlag.CHILDREN.libvirtName(),
                    CheckpointDeleteFlag.CHILDREN_ONLY.libvirtName());
        }
        int unsupported = flags & ~(children | childrenOnly | CheckpointDeleteFlag.METADATA_ONLY.value());
        if (unsupported != 0) {
            throw LineageErrors.unsupportedFlags(unsupported, DELETE_API);
        }
    }

    private static Set<CheckpointDeleteFlag> deleteFlags(int flags) {
        Set<CheckpointDeleteFlag> set = EnumSet.noneOf(CheckpointDeleteFlag.class);
        for (CheckpointDeleteFlag flag : CheckpointDeleteFlag.values()) {
            if ((flags & flag.value()) != 0) {
                set.add(flag);
            }
        }
        return set;
    }

    /** {@code virDomainListAllCheckpoints}. */
    public List<Checkpoint> listAll(CheckpointListFlag... flags) {
        return listAll(LibvirtFlag.mask(List.of(flags)));
    }

    public List<Checkpoint> listAll(int flags) {
        return CheckpointListing.listAll(metaroot, flags);
    }

    /** {@code virDomainCheckpointListAllChildren}. */
    public List<Checkpoint> listChildren(String name, CheckpointListFlag... flags) {
        return listChildren(name, LibvirtFlag.mask(List.of(flags)));
    }

    public List<Checkpoint> listChildren(String name, int flags) {
        CheckpointListing.requireSupported(flags, CheckpointListing.CHILDREN_API);
        return CheckpointListing.listChildren(node(name), flags);
    }

    /** Every checkpoint, parents before children: the order to store or replay a lineage in. */
    public List<Checkpoint> checkpoints() {
        return listAll(CheckpointListFlag.TOPOLOGICAL);
    }

    /** Records that some of a checkpoint's bitmaps are unusable (from the agents' inventory). */
    public Checkpoint markBroken(String name, List<BrokenBitmap> brokenDisks) {
        LineageNode node = node(name);
        node.checkpoint = node.checkpoint.withHealth(CheckpointHealth.broken(brokenDisks));
        return node.checkpoint;
    }

    /** Records that a checkpoint's bitmaps are all usable again (e.g. the agents see them after a host came back). */
    public Checkpoint markActive(String name) {
        LineageNode node = node(name);
        node.checkpoint = node.checkpoint.withHealth(CheckpointHealth.ACTIVE);
        return node.checkpoint;
    }

    private LineageNode node(String name) {
        LineageNode node = name == null ? null : nodes.get(name);
        if (node == null) {
            throw LineageErrors.noCheckpoint(name);
        }
        return node;
    }

    /** Two trees are equal when they hold the same domain, the same checkpoints and the same current one. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof CheckpointTree tree)) {
            return false;
        }
        return domain.equals(tree.domain) && currentName().equals(tree.currentName())
                && checkpoints().equals(tree.checkpoints());
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, currentName(), nodes.keySet());
    }

    @Override
    public String toString() {
        return "CheckpointTree[" + domain + ", " + nodes.size() + " checkpoints, current=" + currentName().orElse(null)
                + "]";
    }
}

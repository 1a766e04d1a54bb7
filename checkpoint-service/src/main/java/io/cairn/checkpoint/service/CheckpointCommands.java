package io.cairn.checkpoint.service;

import io.cairn.core.agent.AgentGateway;
import io.cairn.core.agent.HostDirectory;
import io.cairn.core.command.CommandOutcomes;
import io.cairn.core.failure.VirErrors;
import io.cairn.checkpoint.service.lineage.BitmapRemoval;
import io.cairn.checkpoint.service.lineage.Checkpoint;
import io.cairn.checkpoint.service.lineage.DeletionPlan;
import io.cairn.checkpoint.service.lineage.LineageErrors;
import io.cairn.events.agent.AddBitmapsRequest;
import io.cairn.events.agent.AgentResult;
import io.cairn.events.agent.BitmapCheck;
import io.cairn.events.agent.DiskBitmap;
import io.cairn.events.agent.RemoveBitmapsRequest;
import io.cairn.events.agent.ValidateBitmapsRequest;
import io.cairn.events.command.CheckpointCreateCommand;
import io.cairn.events.command.CheckpointCreateFlag;
import io.cairn.events.command.CheckpointDeleteCommand;
import io.cairn.events.command.CheckpointDeleteFlag;
import io.cairn.events.command.Command;
import io.cairn.events.command.DefinitionRules;
import io.cairn.events.command.EventBudget;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CairnEvent;
import io.cairn.events.event.CheckpointCreatedEvent;
import io.cairn.events.event.CheckpointDeletedEvent;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.model.CheckpointDisk;
import io.cairn.events.model.CheckpointDiskMode;
import io.cairn.events.xml.CheckpointParseFlag;
import io.cairn.events.xml.CheckpointAlignment;
import io.cairn.events.xml.CheckpointXml;
import io.cairn.events.xml.DomainXmlDisks;
import io.cairn.events.xml.SynthesizedDomainXml;
import io.cairn.events.xml.XmlLimits;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What each checkpoint command does, libvirt's way: bitmaps are created or removed on the domain's host first (no
 * database transaction is open meanwhile), and the lineage changes only when the host has done its part, in one
 * transaction with the command's outcome. A failure or timeout after the host may have acted is undone on the host
 * (remove what was added), so no half state remains. Only the delivery holding the command's claim gets here.
 */
@ApplicationScoped
public class CheckpointCommands {
    private static final Logger LOG = Logger.getLogger(CheckpointCommands.class);

    private static final DomainXmlDisks DOMAIN_XML = new DomainXmlDisks();

    private final CheckpointXml xml = new CheckpointXml();

    @Inject
    LineageStore lineage;

    @Inject
    HostDirectory hosts;

    @Inject
    AgentGateway agents;

    @Inject
    CommandOutcomes outcomes;

    public Uni<CairnEvent> apply(Command command) {
        if (command instanceof CheckpointCreateCommand create) {
            create.validate();
            return create.flags().contains(CheckpointCreateFlag.REDEFINE) ? redefine(create) : create(create);
        }
        if (command instanceof CheckpointDeleteCommand delete) {
            delete.validate();
            return delete(delete);
        }
        return Uni.createFrom().failure(new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG,
                "command type " + command.type() + " is not a checkpoint command"));
    }

    private Uni<CairnEvent> create(CheckpointCreateCommand command) {
        HostDirectory.Placement placement = hosts.require(command.domain());
        CheckpointDefinition parsed = command.checkpointXml() != null ? parsedXml(command, Set.of())
                : withCreateDefaults(command.checkpoint());
        CheckpointDefinition definition = withDomainCaptured(xml.align(parsed,
                HostDirectory.disksOf(placement.domain())), command.domain(), placement);
        EventBudget.requireCheckpointCreated(command, definition);
        List<DiskBitmap> bitmaps = bitmapsOf(definition);
        boolean quiesce = command.flags().contains(CheckpointCreateFlag.QUIESCE);
        return lineage.read(command.domain(), tree -> tree.contains(definition.name()))
                .flatMap(exists -> exists ? Uni.createFrom().failure(LineageErrors.alreadyExists(definition.name()))
                        : addBitmaps(command, placement.hostId(), bitmaps, quiesce))
                .flatMap(added -> lineage.update(command.domain(), tree -> tree.create(definition, command.commandId()),
                                checkpoint -> answer(command, new CheckpointCreatedEvent(UUID.randomUUID().toString(),
                                        Instant.now(), command.domain(), command.commandId(),
                                        xml.withoutSecrets(checkpoint.definition()), false,
                                        quiesce ? added.frozenFilesystems() : null)))
                        // The bitmaps exist but the lineage refused them (a racing create of that name): take them
                        // back. A database outage is retried with the same claim instead: the bitmaps stay for it.
                        .onFailure(CairnException.class).call(failure -> undoAdd(command, placement.hostId(),
                                bitmaps)));
    }

    private Uni<CairnEvent> redefine(CheckpointCreateCommand command) {
        CheckpointDefinition given = command.checkpointXml() != null
                ? parsedXml(command, Set.of(CheckpointParseFlag.REDEFINE))
                : command.checkpoint();
        CheckpointDefinition definition = alignedToEmbeddedDomain(command.domain(), given);
        EventBudget.requireCheckpointCreated(command, definition);
        Uni<Void> validated = command.flags().contains(CheckpointCreateFlag.REDEFINE_VALIDATE)
                ? validate(command, definition) : Uni.createFrom().voidItem();
        return validated.flatMap(ok -> lineage.update(command.domain(),
                tree -> tree.redefine(definition, command.commandId()),
                checkpoint -> answer(command, new CheckpointCreatedEvent(UUID.randomUUID().toString(), Instant.now(),
                        command.domain(), command.commandId(), xml.withoutSecrets(checkpoint.definition()), true))));
    }

    /**
     * libvirt's create captures the domain's definition in the checkpoint ({@code <domain>} inside
     * {@code <domaincheckpoint>}); with no libvirt, Cairn writes it from what the host's agent reports of the domain
     * now (name, UUID, disks with their sources, formats and targets), whatever the request said.
     */
    private static CheckpointDefinition withDomainCaptured(CheckpointDefinition definition, String domain,
            HostDirectory.Placement placement) {
        return new CheckpointDefinition(definition.name(), definition.description(), definition.parent(),
                definition.creationTime(), definition.disks(), SynthesizedDomainXml.of(domain,
                        placement.domain().uuid(), HostDirectory.disksOf(placement.domain())));
    }

    /**
     * libvirt's redefine with an embedded {@code <domain>}: its UUID must be the domain's (VIR_ERR_INVALID_ARG
     * "definition for checkpoint %s must use uuid %s"), and the checkpoint's disks are aligned against the embedded
     * domain's. The domain's UUID is its host's last report; a domain Cairn knows no UUID of (not running, or QEMU
     * started without -uuid) is not checked.
     */
    private CheckpointDefinition alignedToEmbeddedDomain(String domain, CheckpointDefinition definition) {
        if (definition.domainXml() == null) {
            return definition;
        }
        String uuid = hosts.find(domain).map(placement -> placement.domain().uuid()).orElse(null);
        String embedded = DOMAIN_XML.uuid(definition.domainXml());
        if (uuid != null && (embedded == null || !uuid.equalsIgnoreCase(embedded))) {
            throw new CairnException(VirErrorCode.VIR_ERR_INVALID_ARG, "definition for checkpoint "
                    + definition.name() + " must use uuid " + uuid);
        }
        return CheckpointAlignment.alignRedefinition(definition, XmlLimits.DEFAULT);
    }

    /** The XML form, held to the rules validate() holds the JSON form to (reserved names, stored sizes). */
    private CheckpointDefinition parsedXml(CheckpointCreateCommand command, Set<CheckpointParseFlag> flags) {
        CheckpointDefinition parsed = xml.parse(command.checkpointXml(), flags);
        DefinitionRules.checkCheckpoint("checkpointXml", parsed);
        return parsed;
    }

    /** REDEFINE_VALIDATE: libvirt checks the bitmap named after the checkpoint on every bitmap disk. */
    private Uni<Void> validate(CheckpointCreateCommand command, CheckpointDefinition definition) {
        HostDirectory.Placement placement = hosts.require(command.domain());
        List<DiskBitmap> bitmaps = definition.disks() == null ? List.of() : definition.disks().stream()
                .filter(d -> d.checkpoint() != CheckpointDiskMode.NO)
                .map(d -> new DiskBitmap(d.name(), definition.name())).toList();
        return agents.call(new ValidateBitmapsRequest(requestId(command, "validate"), placement.hostId(),
                command.domain(), bitmaps)).flatMap(result -> {
                    failIfRefused(result);
                    for (BitmapCheck check : result.bitmaps()) {
                        if (!check.valid()) {
                            return Uni.createFrom().failure(new CairnException(
                                    VirErrorCode.VIR_ERR_CHECKPOINT_INCONSISTENT, "checkpoint inconsistent: missing or "
                                    + "broken bitmap '" + check.bitmap() + "' for disk '" + check.disk() + "'"));
                        }
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<CairnEvent> delete(CheckpointDeleteCommand command) {
        if (command.flags().contains(CheckpointDeleteFlag.METADATA_ONLY)) {
            return lineage.update(command.domain(), tree -> tree.delete(command.checkpoint(), command.flags()),
                    plan -> answer(command, deleted(command, plan)));
        }
        return lineage.read(command.domain(), tree -> tree.planDeletion(command.checkpoint(), command.flags()))
                .flatMap(plan -> removeBitmaps(command, plan))
                .flatMap(removed -> lineage.update(command.domain(),
                        tree -> tree.delete(command.checkpoint(), command.flags()),
                        plan -> answer(command, deleted(command, plan))));
    }

    private Uni<Void> removeBitmaps(CheckpointDeleteCommand command, DeletionPlan plan) {
        List<BitmapRemoval> removals = plan.bitmapRemovals();
        if (removals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        HostDirectory.Placement placement = hosts.require(command.domain());
        List<DiskBitmap> bitmaps = removals.stream().map(r -> new DiskBitmap(r.disk(), r.bitmap())).toList();
        // Bitmaps the agents already reported missing may be gone: libvirt would fail; Cairn lets the delete heal it.
        boolean ignoreMissing = removals.stream().allMatch(BitmapRemoval::expectedMissing);
        return agents.call(new RemoveBitmapsRequest(requestId(command, "remove"), placement.hostId(), command.domain(),
                bitmaps, ignoreMissing)).invoke(CheckpointCommands::failIfRefused).replaceWithVoid();
    }

    private Uni<AgentResult> addBitmaps(CheckpointCreateCommand command, String hostId, List<DiskBitmap> bitmaps,
            boolean quiesce) {
        return agents.call(new AddBitmapsRequest(requestId(command, "add"), hostId, command.domain(), bitmaps, quiesce))
                .invoke(CheckpointCommands::failIfRefused)
                // An agent that predates QUIESCE ignores it and answers without a count: it made the bitmaps without
                // a freeze, which must not pass for a quiesced checkpoint.
                .call(added -> quiesce && added.frozenFilesystems() == null
                        ? undoAdd(command, hostId, bitmaps).chain(() -> Uni.createFrom().failure(notQuiesced(hostId)))
                        : Uni.createFrom().voidItem())
                // Timed out: the agent may still add them later. Its queue is per domain and in order, so a
                // removal sent now runs after the add and leaves nothing behind.
                .onFailure(CairnException.class).call(failure -> ((CairnException) failure).code()
                        == VirErrorCode.VIR_ERR_OPERATION_TIMEOUT ? undoAdd(command, hostId, bitmaps)
                        : Uni.createFrom().voidItem());
    }

    private static CairnException notQuiesced(String hostId) {
        return new CairnException(VirErrorCode.VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported: the host agent of "
                + "'" + hostId + "' cannot quiesce (it predates QUIESCE); the checkpoint was not created");
    }

    private Uni<Void> undoAdd(CheckpointCreateCommand command, String hostId, List<DiskBitmap> bitmaps) {
        LOG.warnf("undoing bitmaps %s of %s on %s", bitmaps, command.domain(), hostId);
        return agents.send(new RemoveBitmapsRequest(requestId(command, "undo"), hostId, command.domain(), bitmaps,
                true)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Records the command's one outcome inside the lineage change's transaction. */
    private Uni<CairnEvent> answer(Command command, CairnEvent outcome) {
        return outcomes.record(command.commandId(), command.domain(), command.type(), outcome);
    }

    private static void failIfRefused(AgentResult result) {
        VirErrors.requireSuccess(result);
    }

    /** libvirt's create defaults for a JSON definition (the XML parser applies them itself). */
    private static CheckpointDefinition withCreateDefaults(CheckpointDefinition given) {
        long now = Instant.now().getEpochSecond();
        String name = given.name() != null ? given.name() : Long.toString(now);
        return new CheckpointDefinition(name, given.description(), null, now, given.disks(), null);
    }

    private static List<DiskBitmap> bitmapsOf(CheckpointDefinition definition) {
        return definition.disks().stream().filter(d -> d.checkpoint() == CheckpointDiskMode.BITMAP)
                .map(disk -> checkedBitmap(definition, disk)).toList();
    }

    /** libvirt's QEMU driver rule: a checkpoint's bitmap carries the checkpoint's name. */
    private static DiskBitmap checkedBitmap(CheckpointDefinition definition, CheckpointDisk disk) {
        if (!definition.name().equals(disk.bitmap())) {
            throw new CairnException(VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, "bitmap for disk '" + disk.name()
                    + "' must match checkpoint name '" + definition.name() + "'");
        }
        return new DiskBitmap(disk.name(), disk.bitmap());
    }

    /** Derived from the commandId: a redelivered command asks the agent the same question, answered once. */
    private static String requestId(Command command, String step) {
        return command.commandId() + "/" + step;
    }

    private static CairnEvent deleted(CheckpointDeleteCommand command, DeletionPlan plan) {
        return new CheckpointDeletedEvent(UUID.randomUUID().toString(), Instant.now(), command.domain(),
                command.commandId(), plan.removed(), plan.metadataOnly());
    }
}

package io.cairn.events.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.model.BackupDefinition;
import io.cairn.events.model.BackupDisk;
import io.cairn.events.model.BackupMode;
import io.cairn.events.model.BackupStore;
import io.cairn.events.model.CheckpointDefinition;
import io.cairn.events.xml.CheckpointParseFlag;
import io.cairn.events.xml.CheckpointXml;
import io.cairn.events.xml.XmlLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every field Cairn stores or publishes has a size limit, in UTF-8 bytes, refused with VIR_ERR_INVALID_ARG naming the
 * field, its size and the limit, whichever form (JSON, or XML once parsed) it came in.
 */
class CommandLimitsTest {
    private static final Set<CheckpointCreateFlag> REDEFINE = Set.of(CheckpointCreateFlag.REDEFINE);

    @Test
    void aDescriptionAtItsLimitIsAcceptedAndOneByteMoreIsRefused() {
        String atLimit = "d".repeat(CommandLimits.MAX_DESCRIPTION_BYTES);

        assertThatCode(() -> create(definition(atLimit, null)).validate()).doesNotThrowAnyException();
        assertThat(refused(create(definition(atLimit + "d", null)))).hasMessage("checkpoint.description is "
                + (CommandLimits.MAX_DESCRIPTION_BYTES + 1) + " bytes, more than the limit of "
                + CommandLimits.MAX_DESCRIPTION_BYTES + " bytes");
    }

    @Test
    void sizesAreCountedInUtf8Bytes() {
        // Fewer characters than the limit, three bytes each: over it.
        String euros = "€".repeat(CommandLimits.MAX_DESCRIPTION_BYTES / 3 + 1);
        String emoji = "\uD83D\uDCBE".repeat(3);

        assertThat(refused(create(definition(euros, null))))
                .hasMessageContaining("checkpoint.description is " + (euros.length() * 3) + " bytes");
        assertThat(CommandLimits.utf8Length(emoji)).isEqualTo(emoji.getBytes(StandardCharsets.UTF_8).length);
        assertThat(CommandLimits.utf8Length("aé€")).isEqualTo(6);
    }

    @Test
    void aRedefinedDomainXmlOverItsLimitIsRefused() {
        String domainXml = domainOf(CommandLimits.MAX_DOMAIN_XML_BYTES + 1);
        CheckpointCreateCommand command = new CheckpointCreateCommand("c-1", "vm-1", null,
                new CheckpointDefinition("cp-1", null, null, 1L, null, domainXml), REDEFINE);

        assertThat(refused(command)).hasMessage("checkpoint.domainXml is " + domainXml.length()
                + " bytes, more than the limit of " + CommandLimits.MAX_DOMAIN_XML_BYTES + " bytes");
    }

    @Test
    void theXmlDocumentsHaveLimitsOfTheirOwn() {
        String checkpointXml = "<domaincheckpoint><description>"
                + "d".repeat(CommandLimits.MAX_CHECKPOINT_XML_BYTES) + "</description></domaincheckpoint>";
        String backupXml = "<domainbackup><!--" + "c".repeat(CommandLimits.MAX_BACKUP_XML_BYTES) + "--></domainbackup>";

        assertThat(refused(new CheckpointCreateCommand("c-1", "vm-1", checkpointXml, null, null)))
                .hasMessageStartingWith("checkpointXml is " + checkpointXml.length() + " bytes");
        assertThat(refused(new BackupBeginCommand("c-1", "vm-1", backupXml, null, null, null, null)))
                .hasMessageStartingWith("backupXml is " + backupXml.length() + " bytes");
        assertThat(refused(new BackupBeginCommand("c-1", "vm-1", "<domainbackup/>", null, checkpointXml, null, null)))
                .hasMessageStartingWith("checkpointXml is ");
    }

    @Test
    void theXmlFormIsHeldToTheSameFieldLimitsOnceParsed() {
        String description = "d".repeat(CommandLimits.MAX_DESCRIPTION_BYTES + 1);
        String domain = domainOf(CommandLimits.MAX_DOMAIN_XML_BYTES + 10);
        CheckpointXml xml = new CheckpointXml();
        CheckpointDefinition longDescription = xml.parse("<domaincheckpoint><name>cp-1</name><description>"
                + description + "</description></domaincheckpoint>");
        CheckpointDefinition largeDomain = xml.parse("<domaincheckpoint><name>cp-1</name><creationTime>1"
                + "</creationTime>" + domain + "</domaincheckpoint>", CheckpointParseFlag.REDEFINE);

        assertThat(catchThrowableOfType(CairnException.class,
                () -> DefinitionRules.checkCheckpoint("checkpointXml", longDescription)))
                .hasMessageStartingWith("checkpointXml <description> is " + description.length() + " bytes");
        assertThat(catchThrowableOfType(CairnException.class,
                () -> DefinitionRules.checkCheckpoint("checkpointXml", largeDomain)))
                .hasMessageStartingWith("checkpointXml <domain> is ")
                .hasMessageEndingWith("more than the limit of " + CommandLimits.MAX_DOMAIN_XML_BYTES + " bytes");
    }

    @Test
    void aCommandWhoseFieldsAreEachWithinTheirLimitsIsStillBoundAsAWhole() {
        // What no field limit covers (disks, paths) is bounded by the whole command's limit: the REST path, which
        // has no record value to measure, is held to it through validate().
        List<BackupDisk> disks = new ArrayList<>();
        for (int i = 0; disks.size() * 4_000L <= CommandLimits.MAX_COMMAND_BYTES; i++) {
            disks.add(new BackupDisk("vd" + i, null, null, null, null, null,
                    new BackupStore("file", "/backups/" + "p".repeat(3_980), null, null, null), null));
        }
        BackupBeginCommand command = new BackupBeginCommand("c-1", "vm-1", null,
                new BackupDefinition(BackupMode.PUSH, null, null, disks), null, null, null);

        assertThat(refused(command)).hasMessageStartingWith("the command is ")
                .hasMessageEndingWith("more than the limit of " + CommandLimits.MAX_COMMAND_BYTES + " bytes");
    }

    @Test
    void theLimitsLeaveHalfOfKafkasRequestFreeAndFitTheXmlReader() {
        assertThat(CommandLimits.MAX_COMMAND_BYTES).isLessThanOrEqualTo(CommandLimits.KAFKA_DEFAULT_MAX_REQUEST_BYTES / 2);
        assertThat(CommandLimits.MAX_CHECKPOINT_XML_BYTES).isLessThan(CommandLimits.MAX_COMMAND_BYTES)
                .isGreaterThan(CommandLimits.MAX_DOMAIN_XML_BYTES + CommandLimits.MAX_DESCRIPTION_BYTES);
        assertThat(CommandLimits.MAX_BACKUP_XML_BYTES).isLessThan(CommandLimits.MAX_COMMAND_BYTES);
        assertThat(CommandLimits.all()).extracting(CommandLimits.Limit::maxBytes)
                .allSatisfy(limit -> assertThat(limit).isLessThan(XmlLimits.DEFAULT_MAX_BYTES));
    }

    private static CheckpointCreateCommand create(CheckpointDefinition definition) {
        return new CheckpointCreateCommand("c-1", "vm-1", null, definition, null);
    }

    private static CheckpointDefinition definition(String description, String domainXml) {
        return new CheckpointDefinition("cp-1", description, null, null, null, domainXml);
    }

    /** A {@code <domain>} of exactly {@code bytes} bytes, as libvirt would format a large one. */
    private static String domainOf(int bytes) {
        String open = "<domain type='kvm'><name>vm-1</name><description>";
        String close = "</description></domain>";
        return open + "x".repeat(bytes - open.length() - close.length()) + close;
    }

    private static CairnException refused(Command command) {
        CairnException error = catchThrowableOfType(CairnException.class, command::validate);
        assertThat(error).as("refused").isNotNull();
        assertThat(error.code()).isEqualTo(VirErrorCode.VIR_ERR_INVALID_ARG);
        return error;
    }
}

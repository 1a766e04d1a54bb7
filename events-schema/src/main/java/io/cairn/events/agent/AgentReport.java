package io.cairn.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What an agent tells the services on {@code cairn.agent.<host>.results}: request answers, backup and restore job reports. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentResult.class, name = AgentResult.TYPE),
    @JsonSubTypes.Type(value = BackupJobReport.class, name = BackupJobReport.TYPE),
    @JsonSubTypes.Type(value = RestoreJobReport.class, name = RestoreJobReport.TYPE),
    @JsonSubTypes.Type(value = RetentionJobReport.class, name = RetentionJobReport.TYPE)
})
public sealed interface AgentReport permits AgentResult, BackupJobReport, RestoreJobReport, RetentionJobReport {
    String hostId();

    /** The domain; also the record key. */
    String domain();

    String type();
}

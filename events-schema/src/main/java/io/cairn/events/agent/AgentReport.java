package io.cairn.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What an agent tells the services on {@code cairn.agent.<host>.results}: request answers and backup job reports. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentResult.class, name = AgentResult.TYPE),
    @JsonSubTypes.Type(value = BackupJobReport.class, name = BackupJobReport.TYPE)
})
public sealed interface AgentReport permits AgentResult, BackupJobReport {
    String hostId();

    /** The domain; also the record key. */
    String domain();

    String type();
}

package io.cairn.agent.backup;

import io.cairn.events.agent.BackupJobReport;

/** Where backup jobs send their reports; the messaging layer implements it (publishing on its host's results topic). */
public interface JobReportSink {

    /** Called from QMP event or worker threads; must not block for long. */
    void publish(BackupJobReport report);
}

package io.cairn.agent.restore;

import io.cairn.events.agent.RestoreJobReport;

/** Where restores send their reports; the messaging layer publishes them on its host's results topic. */
public interface RestoreReportSink {

    /** Called from the restore's worker thread; must not block for long. */
    void publish(RestoreJobReport report);
}

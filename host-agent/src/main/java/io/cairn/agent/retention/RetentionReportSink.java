package io.cairn.agent.retention;

import io.cairn.events.agent.RetentionJobReport;

/** Where retention runs send their reports; the messaging layer publishes them on its host's results topic. */
public interface RetentionReportSink {

    /**
     * Called from the run's worker thread after each step; returns once the report is sent (or failed to be), so
     * a step's file change is never more than one report ahead of the catalog.
     */
    void publish(RetentionJobReport report);
}

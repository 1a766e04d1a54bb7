package io.cairn.agent.messaging;

import io.cairn.agent.qmp.QmpTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's part of the trace: QMP commands become spans of the request they serve, and a backup job's reports,
 * sent from QMP threads long after its start request was answered, stay in that request's trace.
 */
@ApplicationScoped
public class AgentTracing {
    /** At most this many running jobs are remembered; a job never reported as ended cannot grow the map forever. */
    static final int MAX_JOBS = 1024;

    private final Map<String, Context> jobs = new ConcurrentHashMap<>();

    @Inject
    OpenTelemetry openTelemetry;

    void onStart(@Observes StartupEvent event) {
        QmpTracing.install(openTelemetry);
    }

    /** Remembers the trace of the request that started {@code jobId}, if there is one. */
    void jobStarted(String jobId, Context trace) {
        if (jobId != null && Span.fromContext(trace).getSpanContext().isValid() && jobs.size() < MAX_JOBS) {
            jobs.put(jobId, trace);
        }
    }

    /** The trace a job's report belongs to: its start request's, or none (e.g. a job adopted after a restart). */
    Context jobTrace(String jobId) {
        return jobId == null ? null : jobs.get(jobId);
    }

    void jobEnded(String jobId) {
        if (jobId != null) {
            jobs.remove(jobId);
        }
    }
}

package io.cairn.agent.qmp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event a connection delivered, so tests can wait for and inspect them. */
final class RecordingListener implements QmpEventListener {

    private final List<QmpEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(QmpEvent event) {
        events.add(event);
    }

    List<QmpEvent> named(String name) {
        return events.stream().filter(event -> event.name().equals(name)).toList();
    }

    /** The JOB_STATUS_CHANGE statuses of one job, in order. */
    List<String> jobStatuses(String jobId) {
        return named("JOB_STATUS_CHANGE").stream()
                .filter(event -> jobId.equals(event.dataText("id")))
                .map(event -> event.dataText("status"))
                .toList();
    }
}

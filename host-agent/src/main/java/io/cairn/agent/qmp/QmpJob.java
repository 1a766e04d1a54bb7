package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A job from query-jobs. A concluded job's outcome is {@code error}: absent means success, "Operation
 * canceled" means it was cancelled (qemu-qmp-verified.md §8.7).
 */
public record QmpJob(String id, String type, String status, long currentProgress, long totalProgress,
        Optional<String> error) {

    static QmpJob fromJson(JsonNode job) {
        return new QmpJob(QmpJson.requiredText(job, "id"), job.path("type").asText(""),
                QmpJson.requiredText(job, "status"), job.path("current-progress").asLong(),
                job.path("total-progress").asLong(), QmpJson.optionalText(job, "error"));
    }

    public boolean isConcluded() {
        return "concluded".equals(status);
    }
}

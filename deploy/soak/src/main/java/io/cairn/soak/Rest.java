package io.cairn.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import io.cairn.testing.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Cairn's REST APIs as a user's service calls them; a service that is down is an answer too (null), never a crash. */
final class Rest {
    /** One HTTP answer: status and body (JSON when Cairn sent JSON). */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return CairnJson.mapper().readTree(body);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The soak acts as a user who may do everything (its workload includes every flag). */
    private final String authorization = "Bearer " + LocalStack.issuer().token("cairn-soak", "admin",
            java.util.List.of("*"), Duration.ofHours(24));

    /** GET returning JSON, or null when the service is away or answers anything but 200. */
    JsonNode json(String url) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build());
        return answer != null && answer.status() == 200 ? answer.json() : null;
    }

    Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** GET accepting anything (XML resources answer errors in JSON): for the status code. */
    Answer getAny(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "*/*")
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    Answer post(String url, String contentType, String body, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .header("Accept", "application/json").header("Idempotency-Key", idempotencyKey)
                .timeout(Duration.ofSeconds(45)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Answer delete(String url, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(45)).DELETE().build());
    }

    private Answer send(HttpRequest unsigned) {
        HttpRequest request = HttpRequest.newBuilder(unsigned, (name, value) -> true)
                .header("Authorization", authorization).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

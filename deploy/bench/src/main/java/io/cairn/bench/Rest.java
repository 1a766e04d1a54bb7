package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Cairn's REST APIs with the benchmark's bearer token; anything but 200 fails the step with Cairn's answer. */
final class Rest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    Rest(String token) {
        this.token = token;
    }

    JsonNode get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization",
                    "Bearer " + token).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchFailure("GET " + uri + ": " + response.statusCode() + " " + response.body());
            }
            return CairnJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new BenchFailure("GET " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted", e);
        }
    }
}

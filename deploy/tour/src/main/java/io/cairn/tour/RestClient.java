package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls Cairn's REST APIs with the tour's token; a status other than the expected one fails the step with Cairn's
 * text.
 */
final class RestClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String token;

    RestClient(String token) {
        this.token = token;
    }

    JsonNode json(String url) {
        try {
            return CairnJson.mapper().readTree(get(url, "application/json"));
        } catch (IOException e) {
            throw new TourFailure("unreadable JSON from " + url + ": " + e.getMessage(), e);
        }
    }

    String xml(String url) {
        return get(url, "application/xml");
    }

    /** PUTs a JSON body (a setting) and answers the JSON the service returns. */
    JsonNode put(String url, String json) {
        try {
            return CairnJson.mapper().readTree(send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)), "PUT", url, 200));
        } catch (IOException e) {
            throw new TourFailure("unreadable JSON from " + url + ": " + e.getMessage(), e);
        }
    }

    void delete(String url) {
        send(HttpRequest.newBuilder(URI.create(url)).DELETE(), "DELETE", url, 204);
    }

    private String get(String url, String accept) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET(), "GET", url, 200);
    }

    private String send(HttpRequest.Builder builder, String method, String url, int expected) {
        HttpRequest request = builder.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new TourFailure(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new TourFailure(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TourFailure("interrupted: " + method + " " + url, e);
        }
    }
}

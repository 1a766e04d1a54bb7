package io.cairn.tour;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.events.json.CairnJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs against Cairn's REST APIs, with the tour's token; a status other than 200 fails the step with Cairn's text. */
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

    private String get(String url, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new TourFailure("GET " + url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new TourFailure("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TourFailure("interrupted: GET " + url, e);
        }
    }
}

package io.cairn.backup.console;

/**
 * One event of Cairn's public event topics as the console's live feed passes it on: its type and domain (to filter by
 * the caller's scope) and the event's JSON exactly as published.
 */
public record FeedEvent(String type, String domain, String json) {
}

package io.cairn.backup.rest;

/** The body of POST .../verify (optional): the restore point to verify; none for every artifact of the domain. */
public record VerifyRequest(String checkpoint) {
}

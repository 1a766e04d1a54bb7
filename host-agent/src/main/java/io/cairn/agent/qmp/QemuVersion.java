package io.cairn.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/** QEMU's version as both the QMP greeting and query-version report it. */
public record QemuVersion(int major, int minor, int micro, String packageName) {

    /** Parses {@code {"qemu":{"major":7,"minor":2,"micro":22},"package":"..."}}. */
    static QemuVersion fromJson(JsonNode version) {
        JsonNode qemu = version.path("qemu");
        return new QemuVersion(qemu.path("major").asInt(), qemu.path("minor").asInt(), qemu.path("micro").asInt(),
                version.path("package").asText(""));
    }

    public boolean isAtLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro + (packageName.isEmpty() ? "" : " (" + packageName + ")");
    }
}

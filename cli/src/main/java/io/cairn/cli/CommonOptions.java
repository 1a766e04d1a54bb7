package io.cairn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every verb takes: where the configuration is and whether to answer in JSON. */
public final class CommonOptions {
    @Option(names = "--json", description = "Print the REST API's JSON instead of a table")
    public boolean json;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default ~/.config/cairn/cli.properties)")
    public Path config;
}

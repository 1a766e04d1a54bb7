package io.cairn.cli;

import io.cairn.cli.config.CliConfig;
import io.cairn.cli.rest.CairnApi;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every verb shares: the common options, a client built from the configuration, and one way to fail (virsh's
 * error line on stderr and the documented exit code) instead of a stack trace.
 */
public abstract class Verb implements Callable<Integer> {
    @Mixin
    protected CommonOptions common;

    protected final PrintStream out = System.out;
    protected final PrintStream err = System.err;

    @Override
    public final Integer call() {
        validate();
        try {
            CliConfig config = CliConfig.load(System.getenv(), common.config,
                    java.nio.file.Path.of(System.getProperty("user.home")));
            return run(new CairnApi(config));
        } catch (CliFailure failure) {
            err.println(failure.line());
            return failure.exitCode();
        }
    }

    /** Checks the options together before anything is read or sent; throws picocli's usage error (exit 2). */
    protected void validate() {
    }

    /** Runs the verb; returns its exit code. */
    protected abstract int run(CairnApi api);
}

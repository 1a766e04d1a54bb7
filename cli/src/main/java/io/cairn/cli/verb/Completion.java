package io.cairn.cli.verb;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Prints picocli's generated shell completion: {@code source <(cairn completion bash)}. */
@Command(name = "completion", description = "Print the shell completion script (bash; zsh with bashcompinit)")
public class Completion implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!"bash".equals(shell)) {
            throw new ParameterException(spec.commandLine(), "only bash completion is generated (zsh: load it with "
                    + "autoload -U +X bashcompinit && bashcompinit)");
        }
        System.out.print(AutoComplete.bash("cairn", spec.root().commandLine()));
        return 0;
    }
}

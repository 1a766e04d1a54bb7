package io.cairn.agent.qmp;

/**
 * An HMP command run through human-monitor-command printed "Error: ...". QMP itself reports success
 * in that case, because HMP errors are only text in the returned string.
 */
public final class HmpErrorException extends QmpException {

    private final String commandLine;
    private final String output;

    public HmpErrorException(String commandLine, String output) {
        super("HMP '" + commandLine + "' failed: " + output.strip());
        this.commandLine = commandLine;
        this.output = output;
    }

    public String commandLine() {
        return commandLine;
    }

    public String output() {
        return output;
    }
}

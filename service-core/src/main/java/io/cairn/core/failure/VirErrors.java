package io.cairn.core.failure;

import io.cairn.events.agent.AgentResult;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.ErrorInfo;
import io.cairn.events.error.VirErrorCode;
import io.cairn.events.event.CommandRejectedEvent;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The one table from an error's name (as the agent or a stored rejection carries it) to libvirt's code. */
public final class VirErrors {
    private static final Map<String, VirErrorCode> BY_NAME = Arrays.stream(VirErrorCode.values())
            .collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    private VirErrors() {
    }

    /** The code of that name; VIR_ERR_INTERNAL_ERROR for a name this side does not know (a newer agent's). */
    /** libvirt's VIR_ERR_NO_DOMAIN in Cairn's words: no host agent reports the domain running (or it is out of scope). */
    public static CairnException noDomain(String domain) {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN,
                "Domain not found: no host agent reports a running domain named '" + domain + "'");
    }

    public static VirErrorCode codeNamed(String name) {
        return name == null ? VirErrorCode.VIR_ERR_INTERNAL_ERROR
                : BY_NAME.getOrDefault(name, VirErrorCode.VIR_ERR_INTERNAL_ERROR);
    }

    /** An agent's refusal as the libvirt error it named. */
    public static CairnException refusal(AgentResult result) {
        ErrorInfo error = result.error();
        if (error == null) {
            return new CairnException(VirErrorCode.VIR_ERR_INTERNAL_ERROR, "the host agent refused "
                    + result.requestType() + " without saying why");
        }
        return new CairnException(codeNamed(error.code()), error.message());
    }

    /** Throws the agent's refusal; passes a success through. */
    public static AgentResult requireSuccess(AgentResult result) {
        if (!result.success()) {
            throw refusal(result);
        }
        return result;
    }

    /** The HTTP status a rejection answers with over REST. */
    public static int httpStatus(CommandRejectedEvent rejected) {
        return codeNamed(rejected.error() == null ? null : rejected.error().code()).httpStatus();
    }
}

package io.cairn.core.rest;

import io.cairn.core.failure.CommandInProgress;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers failures over REST in both services: a libvirt error with its HTTP status and the same error body a
 * command-rejected event carries; a command another delivery is still applying with 202 and where to follow it.
 */
public class CairnExceptionMapper {

    @ServerExceptionMapper
    public Response map(CairnException error) {
        return RestAnswers.error(error.toErrorInfo(), error.code().httpStatus());
    }

    /** No token, or one that is malformed, wrongly signed or expired: libvirt's authentication failure. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException failure) {
        return Response.fromResponse(RestAnswers.error(new CairnException(VirErrorCode.VIR_ERR_AUTH_FAILED,
                        "authentication failed: a valid bearer token is required").toErrorInfo(), 401))
                .header("WWW-Authenticate", "Bearer").build();
    }

    /** A known caller whose role does not allow the call: libvirt's access-control denial. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException failure) {
        return RestAnswers.error(new CairnException(VirErrorCode.VIR_ERR_ACCESS_DENIED,
                "access denied: the caller's role does not allow this operation").toErrorInfo(), 403);
    }

    @ServerExceptionMapper
    public Response inProgress(CommandInProgress busy) {
        return Response.accepted(java.util.Map.of("commandId", busy.commandId()))
                .location(URI.create(RestAnswers.COMMANDS_PATH + busy.commandId()))
                .type(MediaType.APPLICATION_JSON).build();
    }
}

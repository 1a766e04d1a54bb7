package io.cairn.core.rest;

import io.cairn.core.failure.CommandInProgress;
import io.cairn.events.error.CairnException;
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

    @ServerExceptionMapper
    public Response inProgress(CommandInProgress busy) {
        return Response.accepted(java.util.Map.of("commandId", busy.commandId()))
                .location(URI.create(RestAnswers.COMMANDS_PATH + busy.commandId()))
                .type(MediaType.APPLICATION_JSON).build();
    }
}

package io.cairn.backup.rest;

import io.cairn.events.error.CairnException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers a libvirt error over REST with its HTTP status and the same error body a command-rejected event carries. */
public class CairnExceptionMapper {

    @ServerExceptionMapper
    public Response map(CairnException error) {
        return Response.status(error.code().httpStatus()).type(MediaType.APPLICATION_JSON)
                .entity(error.toErrorInfo()).build();
    }
}

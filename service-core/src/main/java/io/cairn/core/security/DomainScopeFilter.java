package io.cairn.core.security;

import io.cairn.core.rest.RestAnswers;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers every request about a domain outside the caller's scope as if the domain did not exist, before any
 * resource runs: one place, so no endpoint with a {@code {domain}} path can forget it. Unauthenticated callers pass
 * on to the role check, which answers them 401.
 */
public class DomainScopeFilter {

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Response> confineToScope(ContainerRequestContext request) {
        String domain = request.getUriInfo().getPathParameters().getFirst("domain");
        if (domain == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> inScope(identity, domain) ? null
                : RestAnswers.error(Caller.notFound(domain).toErrorInfo(), Response.Status.NOT_FOUND.getStatusCode()));
    }

    private static boolean inScope(SecurityIdentity identity, String domain) {
        if (identity.isAnonymous() && identity.getAttribute(CairnIdentityAugmentor.SCOPE) == null) {
            return true; // not authenticated: the role check answers 401, which says more than a 404 would
        }
        DomainScope scope = identity.getAttribute(CairnIdentityAugmentor.SCOPE);
        return scope != null && scope.includes(domain);
    }
}

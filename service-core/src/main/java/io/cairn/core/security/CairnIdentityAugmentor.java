package io.cairn.core.security;

import io.cairn.core.config.SecurityConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified token into a Cairn caller: the roles its role implies, and its domain scope as an attribute. With
 * security switched off every caller, anonymous included, becomes an admin of every domain.
 */
@ApplicationScoped
public class CairnIdentityAugmentor implements SecurityIdentityAugmentor {
    /** The identity attribute holding the caller's {@link DomainScope}. */
    public static final String SCOPE = "cairn.domain-scope";

    @Inject
    SecurityConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!config.enabled()) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                    .addRoles(CairnRoles.withImplied(java.util.Set.of(CairnRoles.ADMIN)))
                    .addAttribute(SCOPE, DomainScope.ALL).build());
        }
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        DomainScope scope = identity.getPrincipal() instanceof JsonWebToken token
                ? DomainScope.of(values(token.getClaim(config.domainsClaim()))) : DomainScope.NONE;
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addRoles(CairnRoles.withImplied(identity.getRoles())).addAttribute(SCOPE, scope).build());
    }

    /** A claim's strings, whether the issuer wrote a JSON array, a list or one string. */
    static List<String> values(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            array.forEach(value -> values.add(value instanceof JsonString text ? text.getString() : value.toString()));
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(value -> values.add(String.valueOf(value)));
        } else if (claim instanceof JsonString text) {
            values.add(text.getString());
        } else if (claim instanceof String text) {
            values.add(text);
        }
        return values;
    }
}

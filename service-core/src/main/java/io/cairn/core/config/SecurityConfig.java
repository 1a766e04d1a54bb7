package io.cairn.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may call the REST API: bearer tokens from an OIDC issuer, their roles and their domain scope. */
@ConfigMapping(prefix = "cairn.security")
public interface SecurityConfig {
    /**
     * Whether REST callers must present a valid bearer token. Off, every caller is an admin of every domain: an
     * explicit setting for a closed test bench, logged as a warning at every start.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The token claim listing the domains (names or patterns with {@code *} and {@code ?}) a principal may see and
     * act on; a token without it sees none. Roles come from the token's {@code groups} claim (or what
     * {@code quarkus.oidc.roles.role-claim-path} names): viewer, operator, admin.
     */
    @WithDefault("cairn_domains")
    String domainsClaim();
}

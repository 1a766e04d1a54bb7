package io.cairn.core.security;

import io.cairn.core.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Security switched off must never go unnoticed: every start says so, loudly. */
@ApplicationScoped
public class SecurityOffWarning {
    private static final Logger LOG = Logger.getLogger(SecurityOffWarning.class);

    @Inject
    SecurityConfig config;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("SECURITY IS OFF (cairn.security.enabled=false): the REST API accepts every caller, without a "
                    + "token, as an admin of every domain. Never run it like this where anybody else can reach it.");
        } else {
            LOG.infof("REST callers need a bearer token; roles from its groups, domains from its '%s' claim",
                    config.domainsClaim());
        }
    }
}

package io.cairn.core.security;

import io.cairn.core.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Security switched off (REST tokens or Kafka logins) must never go unnoticed: every start says so, loudly. */
@ApplicationScoped
public class SecurityOffWarning {
    private static final Logger LOG = Logger.getLogger(SecurityOffWarning.class);

    @Inject
    SecurityConfig config;

    @ConfigProperty(name = "kafka.security.protocol", defaultValue = "PLAINTEXT")
    String kafkaProtocol;

    private final List<String> warnings = new ArrayList<>();

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            warn("SECURITY IS OFF (cairn.security.enabled=false): the REST API accepts every caller, without a "
                    + "token, as an admin of every domain. Never run it like this where anybody else can reach it.");
        } else {
            LOG.infof("REST callers need a bearer token; roles from its groups, domains from its '%s' claim",
                    config.domainsClaim());
        }
        if (!kafkaProtocol.startsWith("SASL_") && !kafkaProtocol.equals("SSL")) {
            warn("KAFKA AUTHENTICATION IS OFF (kafka.security.protocol=" + kafkaProtocol + "): this service's Kafka "
                    + "clients log in as nobody, so the broker cannot apply its ACLs to them. Set "
                    + "CAIRN_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT or SASL_SSL with credentials in "
                    + "KAFKA_SASL_JAAS_CONFIG.");
        }
    }

    private void warn(String warning) {
        warnings.add(warning);
        LOG.warn(warning);
    }

    /** What this start warned about (for tests, and for anyone asking why a start was loud). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}

package io.cairn.core.security;

import io.cairn.core.failure.VirErrors;
import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who is calling this REST request, for the checks a role annotation cannot make: a domain out of the caller's scope
 * is answered as missing, and flags that change Cairn's own records need an admin.
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    /** The caller's principal name, for the record of who changed something; null when anonymous. */
    public String name() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    public DomainScope scope() {
        DomainScope scope = identity.getAttribute(CairnIdentityAugmentor.SCOPE);
        return scope == null ? DomainScope.NONE : scope;
    }

    public boolean sees(String domain) {
        return scope().includes(domain);
    }

    /** libvirt's answer for a domain that does not exist, for one the caller may not see. */
    public void requireVisible(String domain) {
        if (!sees(domain)) {
            throw notFound(domain);
        }
    }

    /** Refuses with VIR_ERR_ACCESS_DENIED unless the caller holds {@code role} (or one implying it). */
    public void require(String role, String what) {
        if (!identity.hasRole(role)) {
            throw new CairnException(VirErrorCode.VIR_ERR_ACCESS_DENIED, "access denied: %s needs the %s role"
                    .formatted(what, role));
        }
    }

    public boolean has(String role) {
        return identity.hasRole(role);
    }

    /** The same words as for a domain no host runs, so a caller cannot tell out of scope from absent. */
    public static CairnException notFound(String domain) {
        return VirErrors.noDomain(domain);
    }
}

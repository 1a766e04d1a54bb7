package io.cairn.backup.service.job;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;

/** libvirt's exact error codes and messages for backup jobs, so callers can match on them as on libvirt's. */
public final class BackupErrors {
    private BackupErrors() {
    }

    /** {@code qemuBackupBegin}'s refusal when the domain already has a backup job. */
    public static CairnException anotherBackupRunning() {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "another backup job is already running");
    }

    /** {@code virDomainBackupGetXMLDesc} (and abort) with no backup job on the domain. */
    public static CairnException noBackupJob() {
        return new CairnException(VirErrorCode.VIR_ERR_NO_DOMAIN_BACKUP, "no domain backup job present");
    }

    /** {@code virDomainAbortJob} on a domain without a job. */
    public static CairnException noActiveJob() {
        return new CairnException(VirErrorCode.VIR_ERR_OPERATION_INVALID, "no job is active on the domain");
    }
}

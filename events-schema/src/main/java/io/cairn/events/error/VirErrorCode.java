package io.cairn.events.error;

/** The libvirt error numbers Cairn reports, so users can handle Cairn's errors exactly like libvirt's. */
public enum VirErrorCode {
    VIR_ERR_INTERNAL_ERROR(1, 500),
    VIR_ERR_INVALID_ARG(8, 400),
    VIR_ERR_OPERATION_FAILED(9, 409),
    VIR_ERR_XML_ERROR(27, 400),
    VIR_ERR_OPERATION_DENIED(29, 403),
    /** A system call failed on the host (libvirt's virReportSystemError), e.g. the backup storage is full. */
    VIR_ERR_SYSTEM_ERROR(38, 500),
    VIR_ERR_NO_DOMAIN(42, 404),
    /** The caller could not be authenticated (no, a malformed, a wrongly signed or an expired token). */
    VIR_ERR_AUTH_FAILED(45, 401),
    VIR_ERR_OPERATION_INVALID(55, 409),
    VIR_ERR_CONFIG_UNSUPPORTED(67, 400),
    VIR_ERR_OPERATION_TIMEOUT(68, 504),
    /** A flag the domain cannot honour as configured, e.g. QUIESCE without a guest-agent channel. */
    VIR_ERR_ARGUMENT_UNSUPPORTED(74, 400),
    VIR_ERR_OPERATION_ABORTED(78, 409),
    VIR_ERR_BLOCK_COPY_ACTIVE(83, 409),
    VIR_ERR_OPERATION_UNSUPPORTED(84, 501),
    /** The domain's QEMU guest agent did not answer (not connected, or no answer in time). */
    VIR_ERR_AGENT_UNRESPONSIVE(86, 503),
    VIR_ERR_RESOURCE_BUSY(87, 409),
    /** The caller is known but its role does not allow the operation (libvirt's access-control denial). */
    VIR_ERR_ACCESS_DENIED(88, 403),
    VIR_ERR_XML_INVALID_SCHEMA(92, 400),
    VIR_ERR_INVALID_DOMAIN_CHECKPOINT(102, 400),
    VIR_ERR_NO_DOMAIN_CHECKPOINT(103, 404),
    VIR_ERR_NO_DOMAIN_BACKUP(104, 404),
    VIR_ERR_CHECKPOINT_INCONSISTENT(109, 409);

    private final int number;
    private final int httpStatus;

    VirErrorCode(int number, int httpStatus) {
        this.number = number;
        this.httpStatus = httpStatus;
    }

    /** libvirt's {@code virErrorNumber} value. */
    public int number() {
        return number;
    }

    /** The HTTP status a REST API answers with for this error. */
    public int httpStatus() {
        return httpStatus;
    }
}

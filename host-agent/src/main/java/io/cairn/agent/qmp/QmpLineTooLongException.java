package io.cairn.agent.qmp;

import java.io.IOException;

/** The peer sent more than the connection's line limit without a newline: no QEMU does, so the connection ends. */
final class QmpLineTooLongException extends IOException {

    QmpLineTooLongException(int maxLineBytes) {
        super("QMP message longer than " + maxLineBytes + " bytes without a newline (QmpClientOptions.maxLineBytes);"
                + " closing the connection");
    }
}

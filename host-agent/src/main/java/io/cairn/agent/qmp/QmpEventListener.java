package io.cairn.agent.qmp;

/**
 * Receives every QMP event of one connection, in the order QEMU sent them, on that connection's event
 * thread (never the socket reader), so a slow listener delays other events but never command replies.
 */
@FunctionalInterface
public interface QmpEventListener {

    void onEvent(QmpEvent event);
}

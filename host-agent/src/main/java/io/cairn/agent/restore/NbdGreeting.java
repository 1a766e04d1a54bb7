package io.cairn.agent.restore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tells whether an NBD server answers on a unix socket: its newstyle greeting arrives in the clear, before TLS. The
 * probe then says goodbye properly (client flags, then NBD_OPT_ABORT), which QEMU accepts before TLS without logging
 * a failed client, instead of hanging up mid-handshake. Bounded: the kernel accepts a connection into the listen
 * backlog before the daemon greets, so a daemon stuck before its main loop must not hold the caller. Blocking.
 */
final class NbdGreeting {

    /** "NBDMAGIC" then "IHAVEOPT": the fixed-newstyle greeting, followed by 2 bytes of handshake flags. */
    private static final byte[] MAGIC = "NBDMAGICIHAVEOPT".getBytes(StandardCharsets.US_ASCII);
    private static final int NBD_FLAG_C_FIXED_NEWSTYLE = 1;
    private static final long IHAVEOPT = 0x49484156454F5054L;
    private static final int NBD_OPT_ABORT = 2;

    private NbdGreeting() {
    }

    /**
     * True when something listening at {@code socket} greets like an NBD server within {@code waitMillis}; false if
     * nothing listens yet or no greeting came in time.
     */
    static boolean answers(Path socket, long waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (!await(selector, deadline) || !channel.finishConnect()) {
                    return false;
                }
                channel.register(selector, 0);
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer greeting = ByteBuffer.allocate(MAGIC.length + 2);
            while (greeting.hasRemaining()) {
                if (channel.read(greeting) < 0) {
                    return false;
                }
                if (greeting.hasRemaining() && !await(selector, deadline)) {
                    return false;
                }
            }
            if (!Arrays.equals(Arrays.copyOf(greeting.array(), MAGIC.length), MAGIC)) {
                return false;
            }
            key.interestOps(0);
            ByteBuffer goodbye = ByteBuffer.allocate(4 + 8 + 4 + 4)
                    .putInt(NBD_FLAG_C_FIXED_NEWSTYLE).putLong(IHAVEOPT).putInt(NBD_OPT_ABORT).putInt(0).flip();
            // 20 bytes into an empty socket buffer: written at once; if not, closing is just a ruder goodbye.
            channel.write(goodbye);
            return true;
        } catch (IOException notYet) {
            // No socket file yet, or bound but not listening: the daemon is still starting.
            return false;
        }
    }

    /**
     * True when anything at all listens on {@code socket}, NBD or not: QEMU would unlink that socket to bind its own,
     * taking it from whoever serves there.
     */
    static boolean someoneListens(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.configureBlocking(false);
            // A unix connect completes or fails at once; pending means a full backlog, so a listener too.
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException nobody) {
            return false;
        }
    }

    private static boolean await(Selector selector, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return false;
        }
        selector.selectedKeys().clear();
        return selector.select(left) > 0;
    }
}

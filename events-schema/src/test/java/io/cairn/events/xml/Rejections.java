package io.cairn.events.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.events.error.CairnException;
import io.cairn.events.error.VirErrorCode;
import java.util.function.Supplier;

/** Asserts that a parse fails with one exact libvirt error code and hands back nothing. */
final class Rejections {

    private Rejections() {
    }

    static CairnException assertRejected(VirErrorCode expected, Supplier<?> parse) {
        Object[] result = new Object[1];
        CairnException error = assertThrows(CairnException.class, () -> result[0] = parse.get());
        assertEquals(expected, error.code(), () -> "wrong error code; message: " + error.getMessage());
        assertNull(result[0], "no definition may be returned");
        return error;
    }
}

package io.cairn.tour;

/** A tour step that did not go as it must: the tour stops and says which step and why. */
public final class TourFailure extends RuntimeException {

    public TourFailure(String reason) {
        super(reason);
    }

    public TourFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}

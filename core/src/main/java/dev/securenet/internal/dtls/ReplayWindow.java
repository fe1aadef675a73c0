package dev.securenet.internal.dtls;

/**
 * The anti-replay window of RFC 6347 §4.1.2.6, which the JDK's DTLS engine does not keep: a
 * record whose number was already accepted, or that is older than the window, is dropped. Numbers
 * are {@code epoch << 48 | sequence}; a newer epoch starts a fresh window. Only authenticated records
 * may {@link #accept} their number, so a forged record cannot move the window.
 */
final class ReplayWindow {

    private static final int SIZE = 64;
    private static final long SEQUENCE_MASK = (1L << 48) - 1;

    private long epoch = -1;
    private long highest = -1;
    private long seen; // bit i: highest - i was accepted

    /** @return whether a record with this number may be processed */
    synchronized boolean isFresh(long epochAndSequence) {
        long recordEpoch = epochAndSequence >>> 48;
        long sequence = epochAndSequence & SEQUENCE_MASK;
        if (recordEpoch != epoch) {
            return recordEpoch > epoch;
        }
        if (sequence > highest) {
            return true;
        }
        long age = highest - sequence;
        return age < SIZE && (seen & (1L << age)) == 0;
    }

    /** Marks an authenticated record's number as seen. */
    synchronized void accept(long epochAndSequence) {
        long recordEpoch = epochAndSequence >>> 48;
        long sequence = epochAndSequence & SEQUENCE_MASK;
        if (recordEpoch > epoch) {
            epoch = recordEpoch;
            highest = sequence;
            seen = 1;
            return;
        }
        if (recordEpoch < epoch) {
            return;
        }
        if (sequence > highest) {
            long shift = sequence - highest;
            seen = shift >= SIZE ? 1 : (seen << shift) | 1;
            highest = sequence;
        } else if (highest - sequence < SIZE) {
            seen |= 1L << (highest - sequence);
        }
    }
}

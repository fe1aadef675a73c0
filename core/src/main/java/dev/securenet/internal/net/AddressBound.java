package dev.securenet.internal.net;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what each source address holds of a bounded resource (handshakes in progress, connections
 * waiting to be accepted) and refuses more than its share, so that one address, whose ports are
 * its own to choose, cannot take what everyone else needs. A global bound comes on top.
 */
public final class AddressBound {

    private final int total;
    private final int perAddress;
    private final AtomicInteger held = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    /**
     * @param total      how many may be held at once, by all addresses
     * @param perAddress how many one address may hold at once
     */
    public AddressBound(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** @return whether {@code address} may take one more; if so it holds it until {@link #release} */
    public boolean tryAcquire(InetAddress address) {
        if (held.incrementAndGet() > total) {
            held.decrementAndGet();
            return false;
        }
        boolean[] granted = {false};
        byAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perAddress) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        if (!granted[0]) {
            held.decrementAndGet();
        }
        return granted[0];
    }

    /** @return how many are held now, by all addresses */
    public int held() {
        return held.get();
    }

    /** Gives back one that {@code address} held. */
    public void release(InetAddress address) {
        byAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        held.decrementAndGet();
    }
}

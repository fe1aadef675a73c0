package dev.securenet.internal.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Received messages waiting for the application. Bounded: when the application does not keep up,
 * new messages are dropped, as the network would drop datagrams.
 */
final class Messages {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;

    Messages(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    /** @return whether the message was queued (false: dropped) */
    boolean offer(byte[] message) {
        return queue.offer(message);
    }

    /** Marks the end of the association; waiting and later receivers get -1. */
    void end() {
        queue.clear();
        queue.offer(END);
    }

    int take(ByteBuffer destination, Duration timeout) throws IOException {
        byte[] message;
        try {
            message = timeout == null ? queue.take() : queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        }
        if (message == null) {
            throw new SocketTimeoutException("no message within " + timeout.toMillis() + " ms");
        }
        if (message == END) {
            queue.offer(END);
            return -1;
        }
        int length = Math.min(message.length, destination.remaining());
        destination.put(message, 0, length);
        return length;
    }
}

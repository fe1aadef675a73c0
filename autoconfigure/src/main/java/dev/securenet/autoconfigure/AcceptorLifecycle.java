package dev.securenet.autoconfigure;

import dev.securenet.SecureConnectionException;
import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Binds an acceptor (TCP or UDP) when the context starts and, with a handler, serves it: an accept
 * loop on its own non-daemon thread (so the application lives while it listens, even when every
 * other thread is virtual or a daemon) and one thread per connection (or DTLS peer) from the
 * endpoint's own executor, never Boot's shared one. Stopping is graceful: the acceptor stops
 * accepting and running connections may finish (within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}); whatever is still open when the context is
 * destroyed is closed.
 */
class AcceptorLifecycle<S extends Closeable> implements SmartLifecycle, DisposableBean {

    private static final Log LOG = LogFactory.getLog(AcceptorLifecycle.class);

    private final String prefix;
    private final ServedAcceptor<S> acceptor;
    private final Acceptor entry;
    private final Executor executor;
    private final Set<S> active = ConcurrentHashMap.newKeySet();
    /** One per connection being served: at the limit the loop stops accepting until one finishes. */
    private final Semaphore slots;
    private volatile boolean running;
    private Runnable whenDrained;

    AcceptorLifecycle(String prefix, ServedAcceptor<S> acceptor, Acceptor entry, Executor executor) {
        this.prefix = prefix;
        this.acceptor = acceptor;
        this.entry = entry;
        this.executor = executor;
        this.slots = new Semaphore(Math.max(1, entry.getMaxConnections()));
    }

    @Override
    public void start() {
        InetSocketAddress address = new InetSocketAddress(entry.getAddress(), entry.getPort());
        try {
            acceptor.start(address);
        } catch (BindException e) {
            throw new SecurenetConfigurationException(prefix + ".port", "cannot listen on " + address + ": " + e.getMessage(),
                    "Stop the process using that port, or set " + prefix + ".port (0 picks a free port) or "
                            + prefix + ".address.", e);
        } catch (IOException e) {
            throw new SecurenetConfigurationException(prefix + ".address", "cannot listen on " + address + ": " + e.getMessage(),
                    "Check " + prefix + ".address and " + prefix + ".port.", e);
        }
        running = true;
        LOG.info(prefix + " listening on " + acceptor.localAddress() + " (" + acceptor.describe() + ")");
        if (acceptor.hasHandler()) {
            Thread loop = new Thread(this::acceptLoop, prefix + "-accept");
            loop.setDaemon(false);
            loop.start();
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                return;
            }
            S socket;
            try {
                socket = acceptor.accept();
            } catch (SecureConnectionException e) {
                slots.release();
                // DEBUG, not INFO: an attacker must not be able to flood the log with one line per connection
                if (LOG.isDebugEnabled()) {
                    LOG.debug(prefix + ": a client failed its handshake (" + e.reason() + "): " + e.getMessage());
                }
                continue;
            } catch (IOException e) {
                slots.release();
                if (!running) {
                    return; // stopped: the acceptor was closed under us
                }
                // e.g. out of file descriptors: the acceptor itself goes on
                LOG.warn(prefix + ": accept failed: " + e.getMessage(), e);
                continue;
            }
            active.add(socket);
            try {
                executor.execute(() -> serve(socket));
            } catch (RuntimeException rejected) {
                LOG.warn(prefix + ": no thread to serve " + socket + ": " + rejected.getMessage());
                finished(socket);
            }
        }
    }

    private void serve(S socket) {
        try {
            acceptor.serve(socket);
        } catch (IOException | RuntimeException e) {
            LOG.warn(prefix + ": the handler failed on " + socket + ": " + e, e);
        } finally {
            finished(socket);
        }
    }

    private void finished(S socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug(prefix + ": closing " + socket + " failed", e);
        }
        slots.release();
        Runnable callback = null;
        synchronized (this) {
            active.remove(socket);
            if (active.isEmpty() && whenDrained != null) {
                callback = whenDrained;
                whenDrained = null;
            }
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        slots.release(); // wakes a loop waiting for a slot, which then sees it is stopped
        try {
            acceptor.close(); // stop accepting; established connections are the handlers' to finish
        } catch (IOException e) {
            LOG.warn(prefix + ": closing the acceptor failed: " + e.getMessage());
        }
        boolean drained;
        synchronized (this) {
            drained = active.isEmpty();
            if (!drained) {
                whenDrained = callback;
                LOG.info(prefix + ": waiting for " + active.size() + " connection(s) to finish");
            }
        }
        if (drained) {
            callback.run();
        }
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Closes connections that outlived the graceful shutdown. */
    @Override
    public void destroy() throws IOException {
        running = false;
        acceptor.close();
        for (S socket : active) {
            socket.close();
        }
    }
}

package dev.securenet.autoconfigure;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Watches the directories of PEM files and, once a change has been followed by a quiet period,
 * runs the reload of every entry with a file there. Whole directories are watched, so files
 * replaced by rename or by a symbolic link swap (as Kubernetes updates mounted secrets) are seen
 * too. The quiet period lets a certificate and its key, written one after the other, arrive
 * together; a pair that still does not match is refused by the reload, and the next change tries
 * again. Watching starts with the first file and ends when the context closes.
 */
class PemFileWatcher implements Closeable {

    /** A change, then this long without one, then the reload. */
    static final Duration QUIET_PERIOD = Duration.ofSeconds(2);

    private static final Log LOG = LogFactory.getLog(PemFileWatcher.class);

    private record Watch(String what, Set<Path> directories, Runnable reload) {
    }

    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Map<Watch, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Duration quietPeriod;
    private WatchService service;
    private ScheduledExecutorService reloads;
    private volatile boolean closed;

    PemFileWatcher(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    /**
     * Runs {@code reload} after any of {@code files} changes (and the quiet period passed).
     *
     * @param what  names the entry, for the log
     * @param files the files to watch
     * @throws IOException if a directory cannot be watched
     */
    synchronized void watch(String what, Set<Path> files, Runnable reload) throws IOException {
        if (service == null) {
            service = FileSystems.getDefault().newWatchService();
            reloads = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "securenet-reload");
                thread.setDaemon(true);
                return thread;
            });
            Thread thread = new Thread(this::loop, "securenet-file-watcher");
            thread.setDaemon(true);
            thread.start();
        }
        Set<Path> directories = new java.util.HashSet<>();
        for (Path file : files) {
            Path directory = file.toAbsolutePath().normalize().getParent();
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            directories.add(directory);
        }
        watches.add(new Watch(what, Set.copyOf(directories), reload));
    }

    private void loop() {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Path directory = (Path) key.watchable();
            key.pollEvents(); // which file does not matter: a pair is reloaded as a whole
            key.reset();
            for (Watch watch : watches) {
                if (watch.directories().contains(directory)) {
                    schedule(watch);
                }
            }
        }
    }

    private void schedule(Watch watch) {
        pending.compute(watch, (ignored, previous) -> {
            if (previous != null) {
                previous.cancel(false); // another change within the quiet period: wait again
            }
            return reloads.schedule(() -> {
                pending.remove(watch);
                try {
                    watch.reload().run();
                } catch (RuntimeException e) {
                    LOG.error(watch.what() + ": reloading failed: " + e.getMessage(), e);
                }
            }, quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (service != null) {
            reloads.shutdownNow();
            service.close();
        }
    }
}

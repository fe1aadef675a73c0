package dev.securenet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real peer program (openssl, curl, gnutls) run by a test: its output is collected line by line,
 * readiness is a line it prints, and every wait is bounded. Closing destroys it.
 */
public final class ExternalProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private record Waiter(Predicate<String> condition, CompletableFuture<String> found) {
    }

    private ExternalProcess(List<String> command) throws IOException {
        this.command = List.copyOf(command);
        requireInstalled(command.get(0));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        this.process = builder.start();
        Thread reader = new Thread(this::readOutput, "output-of-" + command.get(0));
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a program; its standard error is merged into its output. */
    public static ExternalProcess start(String... command) throws IOException {
        return new ExternalProcess(List.of(command));
    }

    /** Starts a program; its standard error is merged into its output. */
    public static ExternalProcess start(List<String> command) throws IOException {
        return new ExternalProcess(command);
    }

    /** Runs a program to its end. */
    public static ExternalProcess run(Duration timeout, String... command) throws Exception {
        ExternalProcess process = start(command);
        process.process.getOutputStream().close();
        process.awaitExit(timeout);
        return process;
    }

    private static void requireInstalled(String program) {
        if (Path.of(program).isAbsolute() && Files.isExecutable(Path.of(program))) {
            return;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return;
            }
        }
        throw new IllegalStateException("'" + program + "' is not installed: the interoperability tests need it "
                + "(Debian/Ubuntu: apt-get install openssl curl gnutls-bin; .ci/run installs them)");
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    for (Waiter waiter : waiters) {
                        if (!waiter.found().isDone() && waiter.condition().test(line)) {
                            waiter.found().complete(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process went away: output ends here
        } finally {
            synchronized (this) {
                for (Waiter waiter : waiters) {
                    waiter.found().completeExceptionally(new IllegalStateException(describe("ended before printing the line awaited")));
                }
            }
            drained.complete(null);
        }
    }

    /** Waits until the program prints a line containing {@code text}. */
    public String awaitLine(String text, Duration timeout) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        synchronized (this) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (drained.isDone()) {
                throw new IllegalStateException(describe("ended without printing '" + text + "'"));
            }
            waiters.add(new Waiter(line -> line.contains(text), found));
        }
        try {
            return found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(describe("did not print '" + text + "' within " + timeout));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e);
        }
    }

    /** Waits for the program to end and its output to be read. */
    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(describe("did not end within " + timeout));
        }
        drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return process.exitValue();
    }

    /** @return the program's process id */
    public long pid() {
        return process.pid();
    }

    /** @return whether the program still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the program's standard input */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Writes text to the program's standard input. */
    public void send(String text) {
        try {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return everything printed so far */
    public synchronized String output() {
        return String.join("\n", lines);
    }

    private String describe(String what) {
        return command + " " + what + "; its output:\n" + output();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

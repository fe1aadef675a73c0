package dev.securenet.benchmarks;

import dev.securenet.CorrettoCrypto;
import dev.securenet.TlsProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs each scenario in a JVM of its own: securenet and the raw JDK side by side, warmed up, then
 * measured in alternating order for several rounds; and writes a Markdown table of medians,
 * min–max and the median of the per-round ratios, of rates and of the CPU time each unit cost.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--rounds 5] [--seconds 5] [--warmup 5]
 *      [--idle 1000 --idle 10000] [--out benchmarks/target/side-by-side.md] [scenario ... | none]
 * </pre>
 */
public final class SideBySide {

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int seconds = 5;
        int warmup = 5;
        Path out = Path.of("benchmarks", "target", "side-by-side.md");
        String child = null;
        String serveIdle = null;
        boolean full = false;
        boolean correttoCrypto = false;
        boolean virtual = false;
        List<Integer> idle = new ArrayList<>();
        List<Integer> echo = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--child" -> child = args[++i];
                case "--full" -> full = true;
                case "--corretto-crypto" -> correttoCrypto = true;
                case "--serve-idle" -> serveIdle = args[++i];
                case "--virtual" -> virtual = true;
                case "--idle" -> idle.add(Integer.parseInt(args[++i]));
                case "--echo" -> echo.add(Integer.parseInt(args[++i]));
                default -> selected.add(args[i]);
            }
        }
        if (child != null) {
            if (correttoCrypto) {
                CorrettoCrypto.install();
            }
            runChild(child, full, rounds, seconds, warmup);
            return;
        }
        if (serveIdle != null) {
            IdleConnections.serve(serveIdle, virtual);
            return;
        }
        List<Scenario> scenarios = Scenarios.all(new Fixture(false)).stream()
                .filter(scenario -> selected.isEmpty() || selected.contains(scenario.name()))
                .filter(scenario -> !selected.contains("none"))
                .toList();
        StringBuilder table = new StringBuilder();
        table.append(describeMachine(rounds, seconds, warmup)).append("\n\n");
        if (!scenarios.isEmpty()) {
            table.append("| scenario | unit | securenet median (min–max) | raw JDK median (min–max) | securenet / raw, per round: median (min–max)"
                    + " | CPU µs per unit, securenet / raw | CPU per unit, raw / securenet, per round: median (min–max)"
                    + " | resumed, securenet / raw | lost, securenet / raw |\n");
            table.append("|---|---|---|---|---|---|---|---|---|\n");
        }
        for (Scenario scenario : scenarios) {
            System.err.println("running " + scenario.name() + " ...");
            List<double[]> measured = fork(scenario, rounds, seconds, warmup);
            table.append(row(scenario, measured)).append('\n');
            System.err.println(row(scenario, measured));
        }
        if (!idle.isEmpty()) {
            table.append("\nIdle connections, what each costs the server (its JVM alone; the clients are raw JSSE in another):\n\n");
            table.append("| server | connections | heap KiB each | RSS KiB each | threads each |\n|---|---|---|---|---|\n");
            eachServer(table, "idle", idle, IdleConnections::measure);
        }
        if (!echo.isEmpty()) {
            int measured = seconds * rounds;
            table.append("\nEcho latency: every client sends 64 bytes every ").append(EchoLatency.PERIOD_MILLIS)
                    .append(" ms and times the echo (from when it was due); the server in its own JVM, the clients raw JSSE in")
                    .append(" another, ").append(measured).append(" s measured after 3 s:\n\n");
            table.append("| server | clients | messages/s | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
            eachServer(table, "echo", echo, (kind, inVirtual, clients) -> EchoLatency.measure(kind, inVirtual, clients, measured));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
        System.out.println(table);
        System.err.println("written to " + out);
    }

    /** Measures a server of its own JVM for one count of connections. */
    @FunctionalInterface
    private interface ServerMeasurement {
        String row(String kind, boolean virtual, int connections) throws Exception;
    }

    /** Each count, on securenet's server and the raw one, with platform threads and (JDK 21+) virtual ones. */
    private static void eachServer(StringBuilder table, String what, List<Integer> counts, ServerMeasurement measurement)
            throws Exception {
        boolean virtualThreads = Runtime.version().feature() >= 21;
        for (int connections : counts) {
            for (String kind : List.of("securenet", "raw")) {
                for (boolean inVirtual : virtualThreads ? List.of(false, true) : List.of(false)) {
                    System.err.println(what + ": " + kind + ", " + connections + (inVirtual ? ", virtual threads" : "") + " ...");
                    String row = measurement.row(kind, inVirtual, connections).replace("| raw,", "| raw JDK,");
                    table.append(row).append('\n');
                    System.err.println(row);
                }
            }
        }
    }

    private static String describeMachine(int rounds, int seconds, int warmup) {
        return String.format(Locale.ROOT, "%s, Java %s (%s), %d cores, %s %s; %d rounds of %d s per side after %d s of warm-up, "
                        + "sides alternating, each scenario in a JVM of its own.",
                LocalDate.now(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                rounds, seconds, warmup);
    }

    /** @return per round: securenet's rate, resumed share, lost; then raw's */
    private static List<double[]> fork(Scenario scenario, int rounds, int seconds, int warmup) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx2g");
        if (scenario.fullOnly()) {
            // each context keeps one session, connections alternate between two host names, and TLS 1.3
            // servers keep sessions in that cache instead of in tickets: nothing is left to resume
            command.add("-Djavax.net.ssl.sessionCacheSize=1");
            command.add("-Djdk.tls.server.enableSessionTicketExtension=false");
        }
        if (scenario.provider() != TlsProvider.JDK) {
            command.add("-D" + TlsProvider.SYSTEM_PROPERTY + "=" + scenario.provider().name().toLowerCase(Locale.ROOT));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SideBySide.class.getName(),
                "--child", scenario.name(), "--rounds", String.valueOf(rounds), "--seconds", String.valueOf(seconds),
                "--warmup", String.valueOf(warmup)));
        if (scenario.fullOnly()) {
            command.add("--full");
        }
        if (scenario.correttoCrypto()) {
            command.add("--corretto-crypto");
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("ROUND ")) {
                    rows.add(Arrays.stream(line.substring(6).split(" ")).mapToDouble(Double::parseDouble).toArray());
                }
            }
        }
        long limit = (long) warmup * 2 + (long) rounds * seconds * 2 + 120;
        if (!process.waitFor(limit, TimeUnit.SECONDS) || process.exitValue() != 0 || rows.size() != rounds) {
            process.destroyForcibly();
            throw new IllegalStateException(scenario.name() + " failed (see above)");
        }
        return rows;
    }

    private static void runChild(String name, boolean full, int rounds, int seconds, int warmup) throws Exception {
        Fixture fixture = new Fixture(full);
        Scenario scenario = Scenarios.all(fixture).stream().filter(candidate -> candidate.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no scenario " + name));
        try (Side securenet = scenario.securenet().create(); Side raw = scenario.raw().create()) {
            securenet.run(Duration.ofSeconds(warmup));
            raw.run(Duration.ofSeconds(warmup));
            for (int round = 0; round < rounds; round++) {
                Measured ours;
                Measured theirs;
                if (round % 2 == 0) {
                    ours = Measured.of(securenet, seconds);
                    theirs = Measured.of(raw, seconds);
                } else {
                    theirs = Measured.of(raw, seconds);
                    ours = Measured.of(securenet, seconds);
                }
                System.out.printf(Locale.ROOT, "ROUND %f %f %d %f %f %d %f %f%n", ours.result().perSecond(),
                        ours.result().resumedShare(), ours.result().lost(), theirs.result().perSecond(),
                        theirs.result().resumedShare(), theirs.result().lost(), ours.cpuPerUnit(), theirs.cpuPerUnit());
                System.out.flush();
            }
        }
        System.exit(0); // server threads are daemons, but a JDK timer may not be
    }

    /**
     * One side's round, with the CPU time the whole process spent in it per unit (handshake, MiB):
     * the other side is idle meanwhile, and CPU time, unlike a rate, leaves out the time the
     * machine gave to other work.
     */
    private record Measured(Side.Result result, double cpuPerUnit) {

        static Measured of(Side side, int seconds) throws Exception {
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            long before = os.getProcessCpuTime();
            Side.Result result = side.run(Duration.ofSeconds(seconds));
            double units = result.perSecond() * seconds;
            return new Measured(result, units > 0 ? (os.getProcessCpuTime() - before) / 1000.0 / units : Double.NaN);
        }
    }

    private static String row(Scenario scenario, List<double[]> rounds) {
        double[] ours = rounds.stream().mapToDouble(round -> round[0]).toArray();
        double[] theirs = rounds.stream().mapToDouble(round -> round[3]).toArray();
        double[] ratios = rounds.stream().mapToDouble(round -> round[0] / round[3]).toArray();
        double oursResumed = rounds.stream().mapToDouble(round -> round[1]).average().orElse(0);
        double theirsResumed = rounds.stream().mapToDouble(round -> round[4]).average().orElse(0);
        long oursLost = (long) rounds.stream().mapToDouble(round -> round[2]).sum();
        long theirsLost = (long) rounds.stream().mapToDouble(round -> round[5]).sum();
        // CPU per unit: raw / securenet, so that above 1 means securenet costs less, as with the rates
        double[] cpuRatios = rounds.stream().mapToDouble(round -> round[7] / round[6]).toArray();
        double[] oursCpu = rounds.stream().mapToDouble(round -> round[6]).toArray();
        double[] theirsCpu = rounds.stream().mapToDouble(round -> round[7]).toArray();
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | **%.3f** (%.3f–%.3f) | %.0f / %.0f | **%.3f** (%.3f–%.3f) | %.0f %% / %.0f %% | %d / %d |",
                scenario.name(), scenario.unit(), spread(ours), spread(theirs), median(ratios), min(ratios), max(ratios),
                median(oursCpu), median(theirsCpu), median(cpuRatios), min(cpuRatios), max(cpuRatios),
                oursResumed * 100, theirsResumed * 100, oursLost, theirsLost);
    }

    private static String spread(double[] values) {
        return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", median(values), min(values), max(values));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}

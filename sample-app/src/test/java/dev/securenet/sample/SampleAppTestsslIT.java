package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * testssl.sh (the Debian package) scans the packaged sample app's acceptor: protocols, cipher
 * categories and vulnerabilities, renegotiation included (not the slow full run). Nothing may be
 * found at MEDIUM or above, and client-initiated renegotiation must be refused. Its summary is
 * printed into the build output.
 */
@Timeout(600)
class SampleAppTestsslIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern FINDING = Pattern.compile(
            "\"id\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"severity\"\\s*:\\s*\"([A-Z]+)\"[^}]*?\"finding\"\\s*:\\s*\"([^\"]*)\"");

    @TempDir
    Path temporary;

    @Test
    void theSampleAcceptorHasNoFindingAtMediumOrAbove() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/testssl"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("testssl.sh is not installed: .ci/run installs it (apt-get install testssl.sh bsdextrautils)");
        }
        Assumptions.assumeTrue(installed, "testssl.sh is not installed (apt-get install testssl.sh bsdextrautils)");
        Path report = temporary.resolve("testssl.json");
        try (SampleJar sample = SampleJar.start(SampleJar.THIS_JAVA, temporary, List.of())) {
            int port = sample.port();
            sample.process().awaitLine("Started SampleApplication", WAIT);
            ExternalProcess scan = ExternalProcess.run(Duration.ofMinutes(5), "testssl", "--quiet", "--color", "0",
                    "--warnings", "batch", "--ip", "one", "--protocols", "--std", "--vulnerable",
                    "--jsonfile-pretty", report.toString(), "127.0.0.1:" + port);
            System.out.println("testssl.sh on the sample acceptor:\n" + scan.output());

            String json = Files.readString(report);
            List<String> serious = new ArrayList<>();
            boolean renegotiationChecked = false;
            for (Matcher finding = FINDING.matcher(json); finding.find(); ) {
                String id = finding.group(1);
                String severity = finding.group(2);
                if (List.of("MEDIUM", "HIGH", "CRITICAL").contains(severity)) {
                    serious.add(id + " " + severity + ": " + finding.group(3));
                }
                if (id.equals("secure_client_renego")) {
                    renegotiationChecked = true;
                    assertThat(severity).as("client-initiated renegotiation: " + finding.group(3)).isIn("OK", "INFO");
                }
            }
            assertThat(renegotiationChecked).as("testssl.sh checked client-initiated renegotiation").isTrue();
            assertThat(serious).as("findings at MEDIUM or above").isEmpty();
        }
    }
}

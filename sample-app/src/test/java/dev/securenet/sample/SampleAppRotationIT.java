package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sample app with certificate files and {@code reload-on-update}: new files on disk
 * reach curl and OpenSSL without a restart (within the 10 s target), and its Actuator tells.
 */
@Timeout(120)
class SampleAppRotationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ROTATION_TARGET = Duration.ofSeconds(10);
    private static final String HELLO = "<html><h1>hello!</h1></html>";

    @TempDir
    Path temporary;

    @Test
    void rotatedCertificateFilesReachNewClientsWithoutARestart() throws Exception {
        TestPki pki = TestPki.create();
        Path root = pki.writeRootTo(temporary);
        Path files = Files.createDirectories(temporary.resolve("tls"));
        Path chain = files.resolve("chain.pem");
        Path key = files.resolve("key.pem");
        Identity first = pki.server();
        Identity second = pki.server();
        install(first, chain, key, temporary.resolve("first"));
        try (SampleJar sample = SampleJar.start(SampleJar.THIS_JAVA, temporary, List.of(),
                "--securenet.acceptors.hello.certificates=file:" + chain, "--securenet.acceptors.hello.private-key=file:" + key,
                "--securenet.acceptors.hello.reload-on-update=true")) {
            sample.process().awaitLine("Started SampleApplication", WAIT);
            assertThat(curl(root, sample.port())).isEqualTo(HELLO);
            assertThat(servedFingerprint(root, sample.port())).isEqualTo(fingerprint(first));

            install(second, chain, key, temporary.resolve("second"));
            long deadline = System.nanoTime() + ROTATION_TARGET.toNanos();
            while (!servedFingerprint(root, sample.port()).equals(fingerprint(second))) {
                assertThat(System.nanoTime() - deadline).as("the rotated certificate served within " + ROTATION_TARGET).isNegative();
                Thread.sleep(200); // polling a file-driven change from outside the process
            }
            assertThat(curl(root, sample.port())).isEqualTo(HELLO);
            sample.process().awaitLine("rotated certificates are in use", WAIT);

            ExternalProcess health = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                    "http://127.0.0.1:" + sample.managementPort() + "/actuator/health/securenet");
            assertThat(health.output()).contains("\"rotatedAt\"").contains("\"status\":\"UP\"");
        }
    }

    private static void install(Identity identity, Path chain, Path key, Path staging) throws Exception {
        Written written = identity.writeTo(staging);
        Files.copy(written.key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(written.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String curl(Path root, int port) throws Exception {
        return ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15", "--cacert", root.toString(),
                "https://localhost:" + port + "/").output();
    }

    /** @return the SHA-256 fingerprint of what OpenSSL is served, verified against the root */
    private static String servedFingerprint(Path root, int port) throws Exception {
        ExternalProcess openssl = ExternalProcess.run(WAIT, "sh", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " -servername localhost -verify_return_error -CAfile " + root + " </dev/null 2>/dev/null"
                + " | openssl x509 -noout -fingerprint -sha256");
        return openssl.output().strip().replaceFirst("(?i)^sha256 Fingerprint=", "");
    }

    private static String fingerprint(Identity identity) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}

package dev.securenet.internal.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.TestPki;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system roots, and what an operator's choice of trust store means. */
class SystemTrustAnchorsTest {

    @TempDir
    Path directory;

    @Test
    void withoutAChosenStoreTheJdkAndOsRootsAreTrusted() {
        String before = System.clearProperty("javax.net.ssl.trustStore");
        try {
            assertThat(SystemTrustAnchors.load()).hasSizeGreaterThan(10);
        } finally {
            if (before != null) {
                System.setProperty("javax.net.ssl.trustStore", before);
            }
        }
    }

    @Test
    void aStoreChosenWithJavaxNetSslTrustStoreIsExactlyWhatIsTrusted() throws Exception {
        X509Certificate root = TestPki.create().rootCertificate();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("only", root);
        Path file = directory.resolve("operator.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        System.setProperty("javax.net.ssl.trustStore", file.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        try {
            // the OS bundle and the JDK's cacerts do not come back on top of the operator's choice
            Set<X509Certificate> anchors = SystemTrustAnchors.load();
            assertThat(anchors).containsExactly(root);
        } finally {
            System.clearProperty("javax.net.ssl.trustStore");
            System.clearProperty("javax.net.ssl.trustStorePassword");
            System.clearProperty("javax.net.ssl.trustStoreType");
        }
    }
}

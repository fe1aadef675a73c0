package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The auto-configuration is a client of securenet-core like any other: it may use the exported
 * {@code dev.securenet} API only, never the implementation in {@code dev.securenet.internal}
 * (which a modular application could not reach either). Checked on the compiled classes.
 */
class UsesOnlyThePublicApiTest {

    @Test
    void noClassReachesIntoTheCoresInternals() throws Exception {
        Path classes = Path.of(SecurenetAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(classes)) {
            offenders = files.filter(file -> file.toString().endsWith(".class")).filter(UsesOnlyThePublicApiTest::usesInternals).toList();
        }
        assertThat(offenders).isEmpty();
        assertThat(classes.resolve("dev/securenet/autoconfigure/SecurenetEndpoints.class")).exists();
    }

    private static boolean usesInternals(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("dev/securenet/internal/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

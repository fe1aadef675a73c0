package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The networking API and its engines must stay usable without Spring: no class outside
 * {@code dev.securenet.autoconfigure} may refer to Spring. Checked on the compiled classes, so
 * fully-qualified names and annotations count as well as imports.
 */
class PublicApiHasNoSpringTest {

    @Test
    void noSpringOutsideAutoconfigure() throws IOException {
        Path classes = Path.of(CertificateChain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path api = classes.resolve("dev/securenet");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(api)) {
            offenders = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> !api.relativize(file).startsWith("autoconfigure"))
                    .filter(PublicApiHasNoSpringTest::mentionsSpring)
                    .toList();
        }
        assertThat(offenders).as("classes of the API or engines that refer to Spring").isEmpty();
        assertThat(api.resolve("TcpSocket.class")).exists(); // the walk looked at the right place
    }

    private static boolean mentionsSpring(Path classFile) {
        try {
            // class references are stored as internal names in the constant pool
            return new String(Files.readAllBytes(classFile), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("org/springframework/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

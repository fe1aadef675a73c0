package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * securenet-core must stay usable without Spring: Spring is not on its class path (the build's
 * dependency rules refuse it too), and no compiled class refers to it, not even by a
 * fully-qualified name or an annotation.
 */
class PublicApiHasNoSpringTest {

    @Test
    void springIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("org.springframework.core.SpringVersion"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.springframework.boot.SpringApplication"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void noCompiledClassRefersToSpring() throws Exception {
        Path classes = Path.of(CertificateChain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(classes)) {
            offenders = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(PublicApiHasNoSpringTest::mentionsSpring)
                    .toList();
        }
        assertThat(offenders).as("classes of the core that refer to Spring").isEmpty();
        assertThat(classes.resolve("dev/securenet/TcpSocket.class")).exists(); // the walk looked at the right place
    }

    private static boolean mentionsSpring(Path classFile) {
        try {
            // class references are stored as internal names in the constant pool
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("org/springframework/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged sample app (the executable jar the build made) started as a user starts it, on a
 * free port, writing its development certificate below a test's own directory.
 *
 * @param process the running app; closing it stops the app
 * @param port           the port its hello acceptor listens on
 * @param managementPort the port of its Actuator (HTTP, 127.0.0.1)
 */
record SampleJar(ExternalProcess process, int port, int managementPort) implements AutoCloseable {

    /** This JVM's own {@code java}, for apps that need nothing newer. */
    static final String THIS_JAVA = ProcessHandle.current().info().command().orElse("java");

    /**
     * @param java       the {@code java} to run it with
     * @param temporary  its {@code java.io.tmpdir}: the development certificate lands in {@code securenet/} below
     * @param jvmOptions options before {@code -jar}, e.g. {@code -Dspring.aot.enabled=true}
     * @param arguments  application arguments, e.g. {@code --spring.threads.virtual.enabled=true}
     */
    static SampleJar start(String java, Path temporary, List<String> jvmOptions, String... arguments) throws IOException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/securenet-sample-app.jar"));
        assertThat(jar).as("the packaged sample app").exists();
        int port = FreePort.tcp();
        int managementPort = FreePort.tcp();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + temporary));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--securenet.acceptors.hello.port=" + port,
                "--server.port=" + managementPort));
        command.addAll(List.of(arguments));
        return new SampleJar(ExternalProcess.start(command), port, managementPort);
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}

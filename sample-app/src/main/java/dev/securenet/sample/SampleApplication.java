package dev.securenet.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * P1861R0's examples as a Spring Boot app: the {@code hello} acceptor answers every request with the
 * paper's fixed page, and {@link HelloClient} fetches it over verified TLS through an injected socket.
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Runs the app; any {@code securenet.*} property may be overridden on the command line.
     *
     * @param args Spring Boot arguments, e.g. {@code --securenet.acceptors.hello.port=8443}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}

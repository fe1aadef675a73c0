package dev.securenet.sample;

import dev.securenet.CertificateVerifier;
import dev.securenet.TcpAcceptor;
import dev.securenet.autoconfigure.ConnectionHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * P1861R0's TLS server example (section 5): the {@code hello} acceptor of application.yml serves each
 * connection with {@link #helloHandler()}.
 */
@Configuration(proxyBeanMethods = false)
public class HelloServer {

    /** The paper's fixed response. */
    static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Length: 28\r\n"
            + "\r\n"
            + "<html><h1>hello!</h1></html>";

    private final TcpAcceptor hello;

    HelloServer(@Qualifier("hello") TcpAcceptor hello) {
        this.hello = hello;
    }

    /** Reads the request (at least one byte, as the paper does) and writes the fixed page. */
    @Bean
    ConnectionHandler helloHandler() {
        return socket -> {
            socket.setReadTimeout(Duration.ofSeconds(10));
            if (socket.getInputStream().read(new byte[1000]) > 0) {
                socket.getOutputStream().write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        };
    }

    /**
     * Pins the hello acceptor's development certificate, so the sample's client verifies the server
     * without trusting anything else.
     */
    @Bean
    CertificateVerifier helloCertificatePin() {
        X509Certificate pinned = hello.securityProperties().certificateChain().get(0);
        return chain -> chain.leaf().equals(pinned);
    }

    @EventListener(ApplicationReadyEvent.class)
    void tellHowToTry() {
        System.out.println("try running 'curl https://127.0.0.1:" + hello.localAddress().getPort()
                + " --insecure' in a terminal");
    }
}

package dev.securenet.sample;

import dev.securenet.TcpSocket;
import dev.securenet.autoconfigure.TcpSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * P1861R0's TLS client example (section 4) as a service: an injected, preconfigured socket fetches
 * the hello page once the app has started, with the server verified.
 */
@Component
public class HelloClient implements ApplicationRunner {

    private static final Log LOG = LogFactory.getLog(HelloClient.class);

    private final TcpSocketFactory helloClient;
    private volatile String lastResponse;

    HelloClient(@Qualifier("hello-client") TcpSocketFactory helloClient) {
        this.helloClient = helloClient;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        lastResponse = fetch();
        LOG.info("received response over verified TLS:\n" + lastResponse);
    }

    /**
     * Sends the paper's request and reads the response.
     *
     * @return the response text
     */
    public String fetch() throws IOException {
        try (TcpSocket socket = helloClient.connect()) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + helloClient.host() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setReadTimeout(Duration.ofSeconds(10));
            InputStream input = socket.getInputStream();
            byte[] buffer = new byte[1000];
            int total = 0;
            for (int n = input.read(buffer); n > 0; n = input.read(buffer, total, buffer.length - total)) {
                total += n;
                if (total == buffer.length || new String(buffer, 0, total, StandardCharsets.US_ASCII).endsWith("</html>")) {
                    break;
                }
            }
            return new String(buffer, 0, total, StandardCharsets.US_ASCII);
        }
    }

    /** @return what the startup fetch received, or {@code null} before it ran */
    public String lastResponse() {
        return lastResponse;
    }
}

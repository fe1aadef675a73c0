package dev.securenet.testing;

import dev.securenet.TcpSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Line-oriented exchanges over sockets, for tests. */
public final class Lines {

    private Lines() {
    }

    /** Reads up to a newline (not included) or the end of the stream. */
    public static String readLine(InputStream input) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = input.read(); b != -1 && b != '\n'; b = input.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Sends a line and reads the answer line, with a bounded wait. */
    public static String exchange(TcpSocket socket, String line) throws IOException {
        socket.setReadTimeout(Duration.ofSeconds(10));
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return readLine(socket.getInputStream());
    }

    /** Reads everything until the peer closes, with a bounded wait per read. */
    public static String readAll(TcpSocket socket) throws IOException {
        socket.setReadTimeout(Duration.ofSeconds(10));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

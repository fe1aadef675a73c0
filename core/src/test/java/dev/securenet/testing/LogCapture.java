package dev.securenet.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what securenet logs through {@link System.Logger} (which, with no other backend, is
 * java.util.logging) while it is open.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.securenet");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts recording. */
    public LogCapture() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** @return the formatted messages logged at WARNING or above */
    public List<String> warnings() {
        return atLeast(Level.WARNING);
    }

    /** @return the formatted messages logged at SEVERE (commons-logging's ERROR) */
    public List<String> errors() {
        return atLeast(Level.SEVERE);
    }

    private List<String> atLeast(Level level) {
        java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
        return records.stream()
                .filter(record -> record.getLevel().intValue() >= level.intValue())
                .map(formatter::formatMessage)
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}

package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Configuration;

/**
 * What a user sees when an application with a bad {@code securenet.*} entry fails to start: Spring
 * Boot's own failure report, produced by every failure analyzer on the class path, must be ours
 * and name the property, not Spring's generic text for a missing bean.
 */
@Timeout(60)
class StartupFailureReportTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({SslAutoConfiguration.class, SecurenetAutoConfiguration.class})
    static class Application {
    }

    private final Logger reporter = Logger.getLogger("org.springframework.boot.diagnostics");
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                reports.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheReport() {
        // keep Boot from reconfiguring java.util.logging, which would drop our handler
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        reporter.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        reporter.removeHandler(capture);
        System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
    }

    private String startupReport(String... arguments) {
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        assertThatThrownBy(() -> application.run(arguments)).isNotNull();
        assertThat(reports).as("Spring Boot's failure report").isNotEmpty();
        return String.join("\n", reports);
    }

    @Test
    void aMissingVerifierBeanIsReportedByItsProperty() {
        String report = startupReport("--securenet.acceptors.echo.address=127.0.0.1", "--securenet.acceptors.echo.port=0",
                "--securenet.acceptors.echo.certificates=self-signed", "--securenet.acceptors.echo.client-authentication=required",
                "--securenet.acceptors.echo.verifier=nobody");
        assertThat(report).contains("Property: securenet.acceptors.echo.verifier")
                .contains("there is no bean named 'nobody'")
                .contains("Define a CertificateVerifier bean named 'nobody'")
                .doesNotContain("required a bean");
    }

    @Test
    void aMissingHandlerBeanIsReportedByItsProperty() {
        String report = startupReport("--securenet.acceptors.echo.address=127.0.0.1", "--securenet.acceptors.echo.port=0",
                "--securenet.acceptors.echo.certificates=self-signed", "--securenet.acceptors.echo.handler=nobody");
        assertThat(report).contains("Property: securenet.acceptors.echo.handler").doesNotContain("required a bean");
    }

    @Test
    void aMistypedKeyIsReportedWithTheNearestValidOne() {
        String report = startupReport("--securenet.sockets.backend.host=localhost", "--securenet.sockets.backend.port=443",
                "--securenet.sockets.backend.trusted-certficates=classpath:ca.pem");
        assertThat(report).contains("securenet.sockets.backend.trusted-certficates")
                .contains("Did you mean 'securenet.sockets.backend.trusted-certificates'?");
    }
}

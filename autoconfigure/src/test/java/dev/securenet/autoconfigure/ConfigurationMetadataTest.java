package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The configuration metadata the build ships is what IDEs read: valid for Spring Boot's own reader,
 * hints only in forms the format defines, and documentation on every setting of the map values
 * (which IDEs take from the value types, since the format cannot describe them).
 */
class ConfigurationMetadataTest {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static InputStream metadata() {
        InputStream stream = SecurenetProperties.class.getClassLoader().getResourceAsStream(METADATA);
        assertThat(stream).as(METADATA).isNotNull();
        return stream;
    }

    @Test
    void bootsOwnReaderReadsTheMapsWithTheirValueTypes() throws IOException {
        ConfigurationMetadataRepository repository;
        try (InputStream stream = metadata()) {
            repository = ConfigurationMetadataRepositoryJsonBuilder.create(stream).build();
        }
        Map<String, ConfigurationMetadataProperty> properties = repository.getAllProperties();
        assertThat(properties.get("securenet.acceptors").getType())
                .isEqualTo("java.util.Map<java.lang.String,dev.securenet.autoconfigure.SecurenetProperties$Acceptor>");
        assertThat(properties.get("securenet.sockets").getType())
                .isEqualTo("java.util.Map<java.lang.String,dev.securenet.autoconfigure.SecurenetProperties$Socket>");
        assertThat(properties.values()).allSatisfy(property -> assertThat(property.getDescription()).isNotBlank());
    }

    @Test
    void everyHintNamesAPropertyOrTheKeysOrValuesOfAMap() throws IOException {
        JsonNode root;
        try (InputStream stream = metadata()) {
            root = new ObjectMapper().readTree(stream);
        }
        Set<String> properties = new HashSet<>();
        Set<String> maps = new HashSet<>();
        for (JsonNode property : root.get("properties")) {
            String name = property.get("name").asString();
            properties.add(name);
            if (property.get("type").asString().startsWith("java.util.Map<")) {
                maps.add(name);
            }
        }
        List<String> hints = new ArrayList<>();
        if (root.has("hints")) {
            root.get("hints").forEach(hint -> hints.add(hint.get("name").asString()));
        }
        assertThat(hints).allSatisfy(name -> assertThat(properties.contains(name)
                || (name.endsWith(".keys") || name.endsWith(".values")) && maps.contains(name.substring(0, name.lastIndexOf('.'))))
                .as("hint %s names a property, or the .keys/.values of a map property", name).isTrue());
    }

    /** IDEs show the Javadoc of the value types' fields: every setting must have one. */
    @Test
    void everySettingOfTheValueTypesIsDocumented() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/securenet/autoconfigure/SecurenetProperties.java"));
        Matcher field = Pattern.compile("\\n(\\s*)(private (?!static)[\\w<>, .]+ (\\w+)( = [^;]+)?;)").matcher(source);
        List<String> fields = new ArrayList<>();
        while (field.find()) {
            fields.add(field.group(3));
            String before = source.substring(0, field.start()).stripTrailing();
            assertThat(before).as("Javadoc of the field '%s'", field.group(3)).endsWith("*/");
        }
        assertThat(fields).contains("protocol", "certificates", "trustedCertificates", "port", "handler", "host", "mtu");
        Matcher constant = Pattern.compile("\\n\\s*(TLS|DTLS)[,\\n]").matcher(source);
        while (constant.find()) {
            assertThat(source.substring(0, constant.start()).stripTrailing())
                    .as("Javadoc of the protocol '%s'", constant.group(1)).endsWith("*/");
        }
    }
}

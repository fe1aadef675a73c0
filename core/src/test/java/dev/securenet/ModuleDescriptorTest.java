package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkix.PKIXIdentity;
import org.junit.jupiter.api.Test;

/**
 * The built {@code dev.securenet} module on the module path, as a modular application sees it:
 * it resolves with BouncyCastle's modules and the JDK alone, exports the API and nothing else,
 * and works.
 */
class ModuleDescriptorTest {

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleLayer layer() throws Exception {
        ModuleFinder finder = ModuleFinder.of(locationOf(TcpSocket.class), locationOf(BouncyCastleProvider.class),
                locationOf(PKIXIdentity.class), locationOf(org.bouncycastle.asn1.bsi.BSIObjectIdentifiers.class));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.securenet"));
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void exportsTheApiAlone() throws Exception {
        ModuleDescriptor descriptor = layer().findModule("dev.securenet").orElseThrow().getDescriptor();
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.securenet");
        assertThat(descriptor.packages()).contains("dev.securenet.internal.tls", "dev.securenet.internal.dtls",
                "dev.securenet.internal.pem", "dev.securenet.internal.trust", "dev.securenet.internal.net");
        Set<String> requires = descriptor.requires().stream()
                .filter(required -> !required.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.startsWith("java.")).collect(Collectors.toSet());
        assertThat(requires).as("no module but the JDK's and BouncyCastle's").allMatch(name -> name.startsWith("org.bouncycastle."));
        Set<String> optional = descriptor.requires().stream()
                .filter(required -> required.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertThat(optional).as("optional at run time: Conscrypt, for TlsProvider.CONSCRYPT").containsExactly("org.conscrypt");
    }

    @Test
    void worksOnTheModulePathAndHidesTheInternals() throws Exception {
        Module module = layer().findModule("dev.securenet").orElseThrow();
        ClassLoader loader = module.getClassLoader();
        assertThat(module.isExported("dev.securenet")).isTrue();
        for (String internal : List.of("dev.securenet.internal.tls", "dev.securenet.internal.pem")) {
            assertThat(module.isExported(internal)).as(internal).isFalse();
            assertThat(module.isOpen(internal)).as(internal).isFalse();
        }
        // the API works from the module (BouncyCastle found as a module: a self-signed identity)
        Class<?> identity = loader.loadClass("dev.securenet.SelfSignedIdentity");
        Object generated = identity.getMethod("forLocalhost", java.time.Duration.class).invoke(null, java.time.Duration.ofDays(1));
        assertThat(identity.getMethod("certificatePem").invoke(generated).toString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(identity.getModule()).isSameAs(module);
        // and code outside the module cannot reach into the engines
        Method internal = loader.loadClass("dev.securenet.internal.pem.PemReader").getMethod("privateKey", String.class, char[].class);
        assertThatThrownBy(() -> internal.invoke(null, "", null)).isInstanceOf(IllegalAccessException.class);
    }
}

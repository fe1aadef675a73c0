package dev.securenet;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A fresh P-256 key with a self-signed server certificate for development servers that explicitly
 * ask for one. Nothing trusts it unless told to: clients pin it with a
 * {@link CertificateVerifier} or trust its {@link #certificatePem()} (for example with
 * {@code curl --cacert}).
 *
 * <pre>{@code
 * SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(1));
 * acceptor.securityProperties()
 *         .useCertificateChain(List.of(identity.certificate()))
 *         .usePrivateKey(identity.privateKey());
 * }</pre>
 */
public final class SelfSignedIdentity {

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private SelfSignedIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * Makes an identity for {@code localhost}, {@code 127.0.0.1} and {@code ::1}.
     *
     * @param validity how long from now the certificate is valid
     * @return the identity
     */
    public static SelfSignedIdentity forLocalhost(Duration validity) {
        return generate("localhost", List.of("localhost"), List.of("127.0.0.1", "::1"), validity);
    }

    /**
     * Makes an identity for the given names.
     *
     * @param commonName  the subject's CN
     * @param dnsNames    DNS names the certificate is for
     * @param ipAddresses IP address literals the certificate is for
     * @param validity    how long from now the certificate is valid (it starts five minutes ago, for
     *                    clocks a little behind)
     * @return the identity
     */
    public static SelfSignedIdentity generate(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                              Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the validity must be positive, not " + validity);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName);
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
            ipAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new SelfSignedIdentity(keys.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("could not generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** @return the private key */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the self-signed certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the certificate as an RFC 7468 {@code CERTIFICATE} block, for clients to trust */
    public String certificatePem() {
        return CertificateChain.of(List.of(certificate), null).pem().get(0);
    }

    @Override
    public String toString() {
        return "SelfSignedIdentity[" + certificate.getSubjectX500Principal().getName() + ", expires "
                + certificate.getNotAfter().toInstant() + "]";
    }
}

package dev.securenet.internal.dtls;

import dev.securenet.internal.net.HostNames;
import dev.securenet.internal.tls.ClientEngines;
import dev.securenet.internal.tls.JsseContexts;
import dev.securenet.internal.tls.TlsPolicy;
import dev.securenet.internal.tls.TlsSettings;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Creates DTLS engines with the policy and the endpoint's MTU. */
final class DtlsEngines {

    private DtlsEngines() {
    }

    /** @param dtls the client configuration's context and policy */
    static SSLEngine client(ClientEngines.DtlsContext dtls, TlsSettings settings, String host, int port, int mtu) {
        SSLEngine engine = dtls.context().createSSLEngine(host, port); // host:port keys session resumption
        engine.setUseClientMode(true);
        SSLParameters parameters = TlsPolicy.copyOf(dtls.policy());
        if (settings.verifier() == null) { // a verifier replaces the host check too
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!HostNames.isIpLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                // not a name SNI can carry: verification still uses it
            }
        }
        return configured(engine, parameters, mtu);
    }

    /** @return a server's parameters, asked of the provider once per configuration: see {@link #server} */
    static SSLParameters serverPolicy(SSLContext context, TlsSettings settings) {
        SSLParameters parameters = TlsPolicy.dtls(context, settings.finiteFieldDhe());
        JsseContexts.applyClientAuthentication(parameters, settings.clientAuthentication());
        return parameters;
    }

    /** @param policy from {@link #serverPolicy} for this context */
    static SSLEngine server(SSLContext context, SSLParameters policy, int mtu) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return configured(engine, TlsPolicy.copyOf(policy), mtu);
    }

    private static SSLEngine configured(SSLEngine engine, SSLParameters parameters, int mtu) {
        parameters.setMaximumPacketSize(mtu);
        parameters.setEnableRetransmissions(true);
        engine.setSSLParameters(parameters);
        return engine;
    }
}

package dev.securenet.internal.net;

import java.util.regex.Pattern;

/** What kind of name a host string is, decided without any DNS lookup. */
public final class HostNames {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HostNames() {
    }

    /**
     * @param host a host name or address literal
     * @return whether it is an IPv4 or IPv6 literal (IPv6 optionally in brackets)
     */
    public static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }
}

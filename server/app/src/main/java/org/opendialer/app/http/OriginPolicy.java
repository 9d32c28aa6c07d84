package org.opendialer.app.http;

import java.util.List;
import java.util.Locale;
import org.opendialer.core.config.GatewayConfig;

/** Which origins may open the WebSocket and which may frame the dialer (docs/protocol.md). */
public final class OriginPolicy {
    private final String publicOrigin;
    private final List<String> frameAncestors;

    public OriginPolicy(GatewayConfig config) {
        this.publicOrigin = config.publicOrigin();
        this.frameAncestors = config.allowedOrigins();
    }

    /**
     * The WebSocket is for the dialer page the gateway serves itself, so only the gateway's own
     * origin may open it: the public URL's origin, or the origin the request was addressed to.
     */
    public boolean mayOpenWebSocket(String origin, String scheme, String host) {
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        String normalised = origin.toLowerCase(Locale.ROOT);
        if (normalised.equals(publicOrigin)) {
            return true;
        }
        return host != null && !host.isEmpty() && normalised.equals(withoutDefaultPort(scheme, host));
    }

    /** The Content-Security-Policy of every response under /dialer/. */
    public String dialerContentSecurityPolicy() {
        return dialerContentSecurityPolicy(List.of());
    }

    /**
     * The same, also allowing the inline scripts with these hashes ({@code sha256-<base64>}): the
     * dialer's index.html carries its module inline.
     */
    public String dialerContentSecurityPolicy(List<String> scriptHashes) {
        StringBuilder scripts = new StringBuilder("'self'");
        for (String hash : scriptHashes) {
            scripts.append(" '").append(hash).append('\'');
        }
        return "default-src 'self'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self' " + webSocketOrigin() + "; "
                + "object-src 'none'; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors " + String.join(" ", frameAncestors);
    }

    /**
     * The gateway's own WebSocket origin (ws or wss for the public URL's http or https), the only one
     * the dialer connects to. 'self' already covers it in CSP Level 3 browsers; naming it keeps older
     * ones working without allowing WebSockets to any other host.
     */
    String webSocketOrigin() {
        return publicOrigin.replaceFirst("^http", "ws");
    }

    private static String withoutDefaultPort(String scheme, String host) {
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        String lowerHost = host.toLowerCase(Locale.ROOT);
        if ((lowerScheme.equals("http") && lowerHost.endsWith(":80"))
                || (lowerScheme.equals("https") && lowerHost.endsWith(":443"))) {
            lowerHost = lowerHost.substring(0, lowerHost.lastIndexOf(':'));
        }
        return lowerScheme + "://" + lowerHost;
    }
}

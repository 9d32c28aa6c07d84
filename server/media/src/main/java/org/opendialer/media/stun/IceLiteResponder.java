package org.opendialer.media.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ICE-lite side of one WebRTC leg (RFC 8445 §2.5, §7.3): it never sends checks, it answers
 * the browser's Binding requests and remembers which address was nominated. A lite agent is
 * always controlled, so a browser check carries ICE-CONTROLLING; role conflicts cannot arise
 * with a full agent (§6.1.1) and are not handled.
 */
public final class IceLiteResponder {
    private static final String SOFTWARE = "opendialer";

    private final String localUfrag;
    private final byte[] localKey;
    private final String remoteUfrag;
    private volatile InetSocketAddress validatedAddress;
    private volatile InetSocketAddress nominatedAddress;

    /**
     * @param remoteUfrag the browser's ice-ufrag from its offer, or null to accept any
     */
    public IceLiteResponder(String localUfrag, String localPassword, String remoteUfrag) {
        this.localUfrag = localUfrag;
        this.localKey = localPassword.getBytes(StandardCharsets.UTF_8);
        this.remoteUfrag = remoteUfrag;
    }

    public String localUfrag() {
        return localUfrag;
    }

    /** The address of the latest authenticated check, or null. */
    public InetSocketAddress validatedAddress() {
        return validatedAddress;
    }

    /** The address of the latest authenticated check with USE-CANDIDATE, or null. */
    public InetSocketAddress nominatedAddress() {
        return nominatedAddress;
    }

    /** Handles one STUN datagram from {@code from}. Non-requests and garbage are ignored. */
    public IceCheckResult handle(byte[] buf, int off, int len, InetSocketAddress from) {
        StunMessage request;
        try {
            request = StunMessage.parse(buf, off, len);
        } catch (StunException e) {
            return IceCheckResult.IGNORED;
        }
        if (request.type() != StunMessageType.BINDING_REQUEST) {
            return IceCheckResult.IGNORED; // indications and stray responses need no answer
        }
        // A wrong FINGERPRINT means "not STUN after all" (RFC 5389 §7.3): drop silently.
        if (request.hasFingerprint() && !request.verifyFingerprint()) {
            return IceCheckResult.IGNORED;
        }
        String username;
        try {
            username = request.username();
        } catch (StunException e) {
            return error(request, 400, "Bad Request");
        }
        // Short-term credential rules, RFC 5389 §10.1.2.
        if (username == null || !request.hasIntegrity()) {
            return error(request, 400, "Bad Request");
        }
        if (!usernameMatches(username) || !request.verifyIntegrity(localKey)) {
            return error(request, 401, "Unauthorized");
        }
        List<Integer> unknown = request.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            byte[] response = new StunMessageBuilder(StunMessageType.BINDING_ERROR, request.transactionId())
                    .errorCode(420, "Unknown Attribute").unknownAttributes(unknown)
                    .messageIntegrity(localKey).fingerprint().build();
            return new IceCheckResult(response, false, false);
        }
        boolean nominated = request.has(StunAttribute.USE_CANDIDATE);
        validatedAddress = from;
        if (nominated) {
            nominatedAddress = from;
        }
        byte[] response = new StunMessageBuilder(StunMessageType.BINDING_SUCCESS, request.transactionId())
                .software(SOFTWARE)
                .xorMappedAddress(from)
                .messageIntegrity(localKey)
                .fingerprint()
                .build();
        long priority;
        try {
            priority = request.priority();
        } catch (StunException e) {
            priority = -1;
        }
        return new IceCheckResult(response, true, nominated, priority);
    }

    /** RFC 8445 §7.3: USERNAME is "local-ufrag:remote-ufrag" from the receiver's point of view. */
    private boolean usernameMatches(String username) {
        int colon = username.indexOf(':');
        if (colon < 0 || !username.substring(0, colon).equals(localUfrag)) {
            return false;
        }
        return remoteUfrag == null || username.substring(colon + 1).equals(remoteUfrag);
    }

    /** Error responses are not integrity-protected when the credentials failed (§10.1.2). */
    private static IceCheckResult error(StunMessage request, int code, String reason) {
        byte[] response = new StunMessageBuilder(StunMessageType.BINDING_ERROR, request.transactionId())
                .errorCode(code, reason).fingerprint().build();
        return new IceCheckResult(response, false, false);
    }

    /** The local ufrag of a check's USERNAME, for routing a datagram to its leg; null if none. */
    public static String localUfragOf(StunMessage message) {
        try {
            String username = message.username();
            if (username == null) {
                return null;
            }
            int colon = username.indexOf(':');
            return colon < 0 ? null : username.substring(0, colon);
        } catch (StunException e) {
            return null;
        }
    }
}

package org.opendialer.core.calls;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.media.relay.MediaSession;

/** What the engine reads from a browser's SDP offer itself; the relay parses and checks the rest. */
final class MediaOffers {
    private static final Pattern FINGERPRINT =
            Pattern.compile("^a=fingerprint:[ \\t]*(\\S+)[ \\t]+(\\S+)[ \\t]*$", Pattern.MULTILINE);

    private MediaOffers() {}

    /** Opens the relay's RTP socket toward the SIP side; returns its port. */
    static int openRtp(MediaSession media) {
        try {
            return media.openRtp();
        } catch (IOException e) {
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE, "No free RTP port: " + e.getMessage());
        }
    }

    /** The offer's first {@code a=fingerprint} as "algorithm HASH" (normalised), or null without one. */
    static String fingerprint(String sdp) {
        Matcher m = FINGERPRINT.matcher(sdp.replace("\r", ""));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2).toUpperCase(Locale.ROOT) : null;
    }
}

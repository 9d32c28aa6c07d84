package org.opendialer.sip;

import java.util.Locale;

/**
 * SRTP with SDES keys (RFC 4568) toward the trunk (DIALER_SIP_SRTP).
 *
 * <ul>
 *   <li>{@code OFF}: plain RTP/AVP only; an RTP/SAVP offer gets 488.</li>
 *   <li>{@code OPTIONAL}: we offer RTP/SAVP with {@code a=crypto} and retry once with plain RTP/AVP when the
 *       trunk answers 488; we answer RTP/SAVP offers with SRTP and RTP/AVP offers with plain RTP.</li>
 *   <li>{@code REQUIRED}: RTP/SAVP only; a plain offer gets 488, a plain answer ends the call.</li>
 * </ul>
 */
public enum SrtpMode {
    OFF, OPTIONAL, REQUIRED;

    public static SrtpMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "'" + value + "' is not off, optional or required");
        }
    }

    /** Whether an offer from the trunk can be answered in this mode: its profile allowed, its SDES key usable. */
    public boolean acceptsOffer(AudioSdp offer) {
        if (offer.secure()) {
            return this != OFF && offer.crypto() != null;
        }
        return this != REQUIRED;
    }

    /** Why {@link #acceptsOffer} said no, for the 488's reason phrase and the log. */
    public String refusal(AudioSdp offer) {
        if (!offer.secure()) {
            return "SRTP required (DIALER_SIP_SRTP)";
        }
        return this == OFF ? "SRTP off (DIALER_SIP_SRTP)" : "no usable SDES key (AES_CM_128_HMAC_SHA1_80 expected)";
    }

    /** Whether our offers use RTP/SAVP. */
    public boolean offersSrtp() {
        return this != OFF;
    }
}

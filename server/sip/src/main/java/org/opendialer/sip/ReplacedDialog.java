package org.opendialer.sip;

import gov.nist.javax.sip.header.extensions.ReplacesHeader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.header.HeaderFactory;

/**
 * The dialog a Refer-To's embedded {@code Replaces} header names (RFC 3891 3, RFC 5589 7): an attended transfer
 * the far end asks us to complete. Our INVITE to the Refer-To target carries it as its own {@code Replaces}
 * header, so the target swaps its call with the transferor for ours. Parsed and encoded by JAIN-SIP's
 * {@link ReplacesHeader}; only the URI unescaping is ours ({@link URLDecoder}, '+' kept as '+').
 */
public final class ReplacedDialog {
    private final ReplacesHeader header;

    private ReplacedDialog(ReplacesHeader header) {
        this.header = header;
    }

    /**
     * The dialog in {@code escaped}, a Refer-To URI's Replaces value as it arrived (RFC 3261 19.1.1 escaping).
     *
     * @throws ParseException when it is not a Replaces value with a Call-ID, a to-tag and a from-tag
     */
    static ReplacedDialog parse(HeaderFactory headers, String escaped) throws ParseException {
        String value;
        try {
            value = URLDecoder.decode(escaped.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ParseException("bad escaping in Replaces: " + e.getMessage(), 0);
        }
        if (value.isBlank() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ParseException("empty Replaces, or one with control characters", 0);
        }
        if (!(headers.createHeader(ReplacesHeader.NAME, value) instanceof ReplacesHeader parsed)) {
            throw new ParseException("not a Replaces value", 0);
        }
        // RFC 3891 6.1: both tags are mandatory (its grammar); without them the target cannot find the dialog.
        if (parsed.getCallId() == null || parsed.getCallId().isBlank() || !present(parsed.getToTag())
                || !present(parsed.getFromTag())) {
            throw new ParseException("Replaces needs a Call-ID, a to-tag and a from-tag", 0);
        }
        return new ReplacedDialog(parsed);
    }

    private static boolean present(String tag) {
        return tag != null && !tag.isBlank();
    }

    public String callId() {
        return header.getCallId();
    }

    public String toTag() {
        return header.getToTag();
    }

    public String fromTag() {
        return header.getFromTag();
    }

    /** A copy of the header for one INVITE (a header belongs to one message). */
    ReplacesHeader header() {
        return (ReplacesHeader) header.clone();
    }

    @Override
    public String toString() {
        return header.toString().strip();
    }
}

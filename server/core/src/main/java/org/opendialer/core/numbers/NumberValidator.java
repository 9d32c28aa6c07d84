package org.opendialer.core.numbers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.regex.Pattern;

/** Applies the protocol's number rules (docs/protocol.md, "Number rules") to a {@code to} value. */
public final class NumberValidator {

    public static final int MAX_LENGTH = 64;
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,6}");

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    public NumberValidator(String defaultRegion) {
        if (!util.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unsupported region " + defaultRegion);
        }
        this.defaultRegion = defaultRegion;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** Returns the extension or E.164 number {@code to} stands for, or throws why it stands for none. */
    public DialTarget validate(String to) {
        if (to == null || to.isBlank()) {
            throw new InvalidNumberException(InvalidNumberException.Reason.EMPTY,
                    "Enter a phone number or an extension.");
        }
        if (to.length() > MAX_LENGTH) {
            throw new InvalidNumberException(InvalidNumberException.Reason.TOO_LONG,
                    "The phone number is too long (at most " + MAX_LENGTH + " characters).");
        }
        String trimmed = to.strip();
        if (EXTENSION.matcher(trimmed).matches()) {
            return new DialTarget.Extension(trimmed);
        }
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(trimmed, trimmed.startsWith("+") ? "ZZ" : defaultRegion);
        } catch (NumberParseException e) {
            throw notANumber(to);
        }
        if (parsed.hasExtension()) {
            // An extension behind a public number would be silently dropped from the E.164 form.
            throw new InvalidNumberException(InvalidNumberException.Reason.NOT_A_NUMBER,
                    "'" + trimmed + "' has an extension; dial the number without it.");
        }
        if (!util.isValidNumber(parsed)) {
            String region = trimmed.startsWith("+") ? "any region" : "region " + defaultRegion;
            throw new InvalidNumberException(InvalidNumberException.Reason.INVALID_FOR_REGION,
                    "'" + trimmed + "' is not a valid phone number for " + region + ".");
        }
        return new DialTarget.PhoneNumber(util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    private static InvalidNumberException notANumber(String to) {
        return new InvalidNumberException(InvalidNumberException.Reason.NOT_A_NUMBER,
                "'" + to.strip() + "' is not a phone number or an extension.");
    }
}

package org.opendialer.core.accounts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.regex.Pattern;
import org.opendialer.core.accounts.AccountException.Reason;

/** Field rules for accounts; each method returns the normalised value or throws INVALID_INPUT. */
final class AccountRules {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,6}");
    private static final PhoneNumberUtil PHONE = PhoneNumberUtil.getInstance();

    private AccountRules() {}

    static String username(String value) {
        if (value == null || !USERNAME.matcher(value).matches()) {
            throw invalid("username must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
        }
        return value;
    }

    static String password(String value) {
        if (value == null) {
            throw invalid("password is required");
        }
        int length = value.codePointCount(0, value.length());
        if (length < 8 || length > 256) {
            throw invalid("password must be 8-256 characters");
        }
        return value;
    }

    static String displayName(String value) {
        String name = value == null ? "" : value.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > 100) {
            throw invalid("display_name must be 1-100 characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("display_name must not contain control characters");
        }
        return name;
    }

    static String extension(String value) {
        if (value == null || !EXTENSION.matcher(value).matches()) {
            throw invalid("extension must be 2-6 digits");
        }
        return value;
    }

    /** Parsed without a default region, so the number must be international (+...); returns E.164. */
    static String number(String value) {
        if (value == null || value.length() > 64) {
            throw invalid("number must be a valid E.164 number");
        }
        try {
            PhoneNumber parsed = PHONE.parse(value, null);
            if (!PHONE.isValidNumber(parsed)) {
                throw invalid("number must be a valid E.164 number");
            }
            return PHONE.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalid("number must be a valid E.164 number");
        }
    }

    private static AccountException invalid(String message) {
        return new AccountException(Reason.INVALID_INPUT, message);
    }
}

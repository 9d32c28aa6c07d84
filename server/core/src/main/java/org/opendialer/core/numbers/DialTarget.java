package org.opendialer.core.numbers;

/** Where a call goes: an internal extension or a public number in E.164 form. */
public sealed interface DialTarget {

    /** The string the call engine dials: the extension digits or the E.164 number. */
    String dialString();

    record Extension(String digits) implements DialTarget {
        @Override
        public String dialString() {
            return digits;
        }
    }

    record PhoneNumber(String e164) implements DialTarget {
        @Override
        public String dialString() {
            return e164;
        }
    }
}

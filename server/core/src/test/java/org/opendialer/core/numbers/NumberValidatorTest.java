package org.opendialer.core.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberValidatorTest {

    private final NumberValidator us = new NumberValidator("US");

    @ParameterizedTest
    @CsvSource({
        "2015550123, +12015550123",
        "(201) 555-0123, +12015550123",
        "201-555-0123, +12015550123",
        "1 201 555 0123, +12015550123",
        "+1 201 555 0123, +12015550123",
        "+44 20 7946 0958, +442079460958",
        "+442079460958, +442079460958",
        "+49 30 901820, +4930901820",
        "' 2015550123 ', +12015550123"
    })
    void validNumbers_areNormalisedToE164(String input, String e164) {
        assertThat(us.validate(input)).isEqualTo(new DialTarget.PhoneNumber(e164));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "1001", "123456"})
    void twoToSixDigits_areExtensions(String input) {
        assertThat(us.validate(input)).isEqualTo(new DialTarget.Extension(input));
    }

    @Test
    void nationalNumber_isParsedInTheConfiguredRegion() {
        NumberValidator gb = new NumberValidator("GB");
        assertThat(gb.validate("020 7946 0958").dialString()).isEqualTo("+442079460958");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blank_isRejectedAsEmpty(String input) {
        assertThatThrownBy(() -> us.validate(input))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidNumberException.Reason.EMPTY));
    }

    @Test
    void null_isRejectedAsEmpty() {
        assertThatThrownBy(() -> us.validate(null)).isInstanceOf(InvalidNumberException.class)
                .hasMessage("Enter a phone number or an extension.");
    }

    @Test
    void tenKilobyteString_isRejectedAsTooLong() {
        String huge = "1".repeat(10 * 1024);
        assertThatThrownBy(() -> us.validate(huge))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidNumberException.Reason.TOO_LONG))
                .hasMessageContaining("too long");
    }

    @Test
    void sixtyFiveCharacters_isTooLong_sixtyFourIsJudgedOnContent() {
        assertThatThrownBy(() -> us.validate("2".repeat(65)))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidNumberException.Reason.TOO_LONG));
        assertThatThrownBy(() -> us.validate("2".repeat(64)))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isNotEqualTo(InvalidNumberException.Reason.TOO_LONG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_input", "abc", "hello world", "++", "#*#"})
    void letters_areNotANumber(String input) {
        assertThatThrownBy(() -> us.validate(input))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidNumberException.Reason.NOT_A_NUMBER))
                .hasMessageContaining("is not a phone number or an extension");
    }

    @Test
    void singleDigit_isNotAnExtensionNorANumber() {
        assertThatThrownBy(() -> us.validate("1")).isInstanceOf(InvalidNumberException.class);
    }

    @Test
    void sevenDigitLocalNumber_isNotValidWithoutAreaCode() {
        assertThatThrownBy(() -> us.validate("5550123"))
                .isInstanceOfSatisfying(InvalidNumberException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidNumberException.Reason.INVALID_FOR_REGION))
                .hasMessage("'5550123' is not a valid phone number for region US.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 000 000 0000", "0000000000", "+99 123456789", "+44 1"})
    void wellFormedButUnassignedNumbers_areInvalid(String input) {
        assertThatThrownBy(() -> us.validate(input)).isInstanceOf(InvalidNumberException.class);
    }

    @Test
    void numberWithExtension_isRejectedRatherThanSilentlyTruncated() {
        assertThatThrownBy(() -> us.validate("2015550123 ext. 44"))
                .isInstanceOf(InvalidNumberException.class).hasMessageContaining("extension");
    }

    @Test
    void nonAsciiDigits_areNotAnExtension() {
        // Arabic-Indic digits: libphonenumber may still read them as a number, never as an extension.
        assertThat(catchTarget("\u0661\u0660\u0660\u0661")).isNotInstanceOf(DialTarget.Extension.class);
    }

    @Test
    void unsupportedRegion_isRefused() {
        assertThatThrownBy(() -> new NumberValidator("XX")).isInstanceOf(IllegalArgumentException.class);
    }

    private Object catchTarget(String input) {
        try {
            return us.validate(input);
        } catch (InvalidNumberException e) {
            return e;
        }
    }
}

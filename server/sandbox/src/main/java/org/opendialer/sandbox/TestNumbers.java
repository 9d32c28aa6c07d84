package org.opendialer.sandbox;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The sandbox's numbers. They are in the range +1 650 555 0100-0199, which North American numbering keeps
 * for fiction, and valid for libphonenumber so the dialer accepts them. They only ever reach the sandbox:
 * with a real trunk configured the sandbox is off (and such a number goes nowhere there either).
 */
final class TestNumbers {
    static final TestNumber ECHO = new TestNumber("+16505550100", Behaviour.ECHO.wireName,
            "Echo test: answers and plays back everything you say");
    static final TestNumber TONE = new TestNumber("+16505550101", Behaviour.TONE.wireName,
            "Tone: answers and plays a rising three-note chime, then a 1 kHz test tone, over and over");
    static final TestNumber BUSY = new TestNumber("+16505550102", Behaviour.BUSY.wireName,
            "Busy: the line is busy (SIP 486)");
    static final TestNumber DECLINED = new TestNumber("+16505550103", Behaviour.DECLINED.wireName,
            "Declined: rings briefly, then the callee declines (SIP 603)");
    static final TestNumber NO_ANSWER = new TestNumber("+16505550104", Behaviour.NO_ANSWER.wireName,
            "No answer: rings until you hang up or the ring timeout ends the call");
    static final TestNumber DELAYED_ANSWER = new TestNumber("+16505550105", Behaviour.DELAYED_ANSWER.wireName,
            "Rings for 3 seconds, then answers as the echo test");

    static final List<TestNumber> ALL = List.of(ECHO, TONE, BUSY, DECLINED, NO_ANSWER, DELAYED_ANSWER);

    /** The caller ID of the sandbox's own calls ("call me"): the tone number, so calling back plays the tone. */
    static final String CALLER_ID = TONE.e164();
    static final String CALLER_NAME = "opendialer sandbox";

    private TestNumbers() {
    }

    /** The behaviour of a called number; accepts the number with or without its "+". */
    static Optional<Behaviour> behaviourOf(String calledNumber) {
        if (calledNumber == null) {
            return Optional.empty();
        }
        String e164 = calledNumber.startsWith("+") ? calledNumber : "+" + calledNumber;
        return ALL.stream().filter(n -> n.e164().equals(e164)).findFirst()
                .map(n -> Behaviour.valueOf(n.behaviour().toUpperCase(java.util.Locale.ROOT)));
    }

    /** One line naming every number, for the 404 and the log. */
    static String summary() {
        return ALL.stream().map(n -> n.e164() + " " + n.behaviour()).collect(Collectors.joining(", "));
    }
}

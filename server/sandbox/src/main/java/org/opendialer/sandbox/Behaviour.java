package org.opendialer.sandbox;

import java.time.Duration;

/** What a test number does with an INVITE. */
enum Behaviour {
    /** Answers at once and sends every RTP packet back. */
    ECHO("echo", Duration.ZERO),
    /** Answers at once and plays {@link org.opendialer.media.tone.TonePattern#ANNOUNCEMENT}. */
    TONE("tone", Duration.ZERO),
    /** 486 Busy Here at once. */
    BUSY("busy", Duration.ZERO),
    /** Rings, then 603 Decline, as a person pressing "decline" would. */
    DECLINED("declined", Duration.ofMillis(1500)),
    /** Rings until the caller gives up (CANCEL) or the sandbox's backstop (480). */
    NO_ANSWER("no_answer", Duration.ZERO),
    /** Rings for three seconds, then answers as the echo test. */
    DELAYED_ANSWER("delayed_answer", Duration.ofSeconds(3));

    final String wireName;
    /** How long it rings before acting (DECLINED, DELAYED_ANSWER). */
    final Duration ringFor;

    Behaviour(String wireName, Duration ringFor) {
        this.wireName = wireName;
        this.ringFor = ringFor;
    }
}

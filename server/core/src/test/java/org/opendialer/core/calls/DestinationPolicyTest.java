package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opendialer.core.accounts.DestinationOverride;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.numbers.DialTarget;

/** The destination policy on its own: classification, countries, prefixes, per-user overrides, rate limits. */
class DestinationPolicyTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private final MovableClock clock = new MovableClock();
    private final Map<Long, DestinationOverride> overrides = new java.util.HashMap<>();

    private DestinationPolicy policy(Set<String> countries, List<String> prefixes, int perMinute, int perDay) {
        return new DestinationPolicy(new DestinationSettings(countries, prefixes, perMinute, perDay),
                id -> Optional.ofNullable(overrides.get(id)), clock);
    }

    private static DialTarget number(String e164) {
        return new DialTarget.PhoneNumber(e164);
    }

    /** libphonenumber's own example of {@code type} in {@code region}, in E.164. */
    private static DialTarget example(String region, PhoneNumberType type) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        return number(util.format(util.getExampleNumberForType(region, type), PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    private static CallException.Reason refusal(DestinationPolicy p, long user, DialTarget target) {
        try {
            p.admit(user, target);
            return null;
        } catch (CallException e) {
            return e.reason();
        }
    }

    @Test
    void byDefault_premiumRateAndSharedCostAreRefused_everythingElsePasses() {
        DestinationPolicy p = DestinationPolicy.defaults(clock);
        for (DialTarget premium : List.of(number("+19005550100"), example("GB", PhoneNumberType.PREMIUM_RATE),
                example("FR", PhoneNumberType.PREMIUM_RATE), example("DE", PhoneNumberType.PREMIUM_RATE),
                example("DE", PhoneNumberType.SHARED_COST), example("FR", PhoneNumberType.SHARED_COST))) {
            assertThat(refusal(p, ALICE, premium)).as(premium.dialString())
                    .isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
        }
        assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
        assertThat(refusal(p, ALICE, example("GB", PhoneNumberType.MOBILE))).isNull();
        assertThat(refusal(p, ALICE, new DialTarget.Extension("1002"))).isNull();
        assertThatThrownBy(() -> p.admit(ALICE, number("+19005550100")))
                .hasMessageContaining("+19005550100").hasMessageContaining("not allowed");
    }

    @Test
    void allowedCountries_refuseOthers_exceptAUsersExtraCountries_andNeverApplyToExtensions() {
        DestinationPolicy p = policy(Set.of("US", "CA"), List.of(), 0, 0);
        assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
        assertThat(refusal(p, ALICE, example("CA", PhoneNumberType.FIXED_LINE))).isNull();
        DialTarget uk = example("GB", PhoneNumberType.MOBILE);
        assertThat(refusal(p, ALICE, uk)).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
        overrides.put(ALICE, new DestinationOverride(false, Set.of("gb")));
        assertThat(refusal(p, ALICE, uk)).isNull();
        assertThat(refusal(p, BOB, uk)).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
        assertThat(refusal(p, BOB, new DialTarget.Extension("1001"))).isNull();
    }

    @Test
    void blockedPrefixes_applyToEveryone_evenWithAnOverride() {
        DestinationPolicy p = policy(Set.of(), List.of("+4470", "+1268"), 0, 0);
        DialTarget personal = example("GB", PhoneNumberType.PERSONAL_NUMBER); // +44 70...
        assertThat(personal.dialString()).startsWith("+4470");
        overrides.put(ALICE, new DestinationOverride(true, Set.of("GB", "AG")));
        assertThat(refusal(p, ALICE, personal)).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
        assertThat(refusal(p, ALICE, number("+12684601234"))).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
        assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
    }

    @Test
    void aUserAllowedPremium_mayCallIt_othersMayNot() {
        DestinationPolicy p = policy(Set.of(), List.of(), 10, 300);
        overrides.put(ALICE, new DestinationOverride(true, Set.of()));
        assertThat(refusal(p, ALICE, number("+19005550100"))).isNull();
        assertThat(refusal(p, BOB, number("+19005550100"))).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
    }

    @Test
    void callsPerMinute_refusesTheCallOverTheLimit_perUser_untilTheMinuteHasPassed() {
        DestinationPolicy p = policy(Set.of(), List.of(), 3, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
            clock.advance(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> p.admit(ALICE, number("+14155550199")))
                .isInstanceOfSatisfying(CallException.class,
                        e -> assertThat(e.reason()).isEqualTo(CallException.Reason.CALL_RATE_LIMITED))
                .hasMessageContaining("3 calls in the last minute");
        assertThat(refusal(p, BOB, number("+14155550199"))).isNull(); // another user has their own count
        assertThat(refusal(p, ALICE, new DialTarget.Extension("1002"))).isNull(); // extensions are free
        clock.advance(Duration.ofSeconds(46)); // the first call is now 61 s old
        assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
        assertThat(refusal(p, ALICE, number("+14155550199"))).isEqualTo(CallException.Reason.CALL_RATE_LIMITED);
    }

    @Test
    void callsPerDay_refusesTheCallOverTheLimit_untilTheOldestIs24HoursOld_andRefusedCallsDoNotCount() {
        DestinationPolicy p = policy(Set.of(), List.of(), 0, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(refusal(p, ALICE, number("+19005550100"))).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED);
            assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
            clock.advance(Duration.ofHours(1));
        }
        assertThat(refusal(p, ALICE, number("+14155550199"))).isEqualTo(CallException.Reason.CALL_RATE_LIMITED);
        clock.advance(Duration.ofHours(20).plusSeconds(1)); // the first is now 24 h old
        assertThat(refusal(p, ALICE, number("+14155550199"))).isNull();
        assertThat(refusal(p, ALICE, number("+14155550199"))).isEqualTo(CallException.Reason.CALL_RATE_LIMITED);
    }

    @Test
    void withoutLimits_nothingIsRemembered_andEveryCallPasses() {
        DestinationPolicy p = policy(Set.of(), List.of(), 0, 0);
        assertThatCode(() -> {
            for (int i = 0; i < 1000; i++) {
                p.admit(ALICE, number("+14155550199"));
            }
        }).doesNotThrowAnyException();
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-05T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

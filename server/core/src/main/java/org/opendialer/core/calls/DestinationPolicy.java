package org.opendialer.core.calls;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.opendialer.core.accounts.DestinationOverride;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.numbers.DialTarget;

/**
 * What a user may dial, against toll fraud (docs/security.md): numbers libphonenumber classifies as
 * premium rate or shared cost are refused unless the user's override allows them; with
 * DIALER_ALLOWED_COUNTRIES only those countries (plus the user's extra ones) are allowed;
 * DIALER_BLOCKED_PREFIXES are refused for everyone; each user may place at most
 * DIALER_CALLS_PER_MINUTE and DIALER_CALLS_PER_DAY calls that leave the gateway (sliding windows,
 * in memory: a restart forgets them). Extension calls never leave the gateway and pass.
 * Engine thread only.
 */
public final class DestinationPolicy {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final DestinationSettings settings;
    private final LongFunction<Optional<DestinationOverride>> overrides;
    private final Clock clock;
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    /** Per user, when their admitted calls were placed, oldest first; at most callsPerDay entries. */
    private final Map<Long, Deque<Long>> placed = new HashMap<>();

    public DestinationPolicy(DestinationSettings settings, LongFunction<Optional<DestinationOverride>> overrides,
                             Clock clock) {
        this.settings = settings;
        this.overrides = overrides;
        this.clock = clock;
    }

    /** The defaults (premium rate and shared cost refused; limits as in ConfigKey), no per-user overrides. */
    public static DestinationPolicy defaults(Clock clock) {
        return new DestinationPolicy(DestinationSettings.DEFAULTS, id -> Optional.empty(), clock);
    }

    /**
     * Refuses {@code target} for {@code userId} with DESTINATION_NOT_ALLOWED or CALL_RATE_LIMITED, or
     * counts it as placed. Called once per call, before anything is sent.
     */
    void admit(long userId, DialTarget target) {
        if (!(target instanceof DialTarget.PhoneNumber number)) {
            return; // an extension: stays inside the gateway
        }
        String e164 = number.e164();
        for (String prefix : settings.blockedPrefixes()) {
            if (e164.startsWith(prefix)) {
                throw refused(e164);
            }
        }
        Optional<DestinationOverride> override = overrides.apply(userId);
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = util.parse(e164, null);
        } catch (NumberParseException e) {
            throw refused(e164);
        }
        PhoneNumberUtil.PhoneNumberType type = util.getNumberType(parsed);
        boolean premium = type == PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE
                || type == PhoneNumberUtil.PhoneNumberType.SHARED_COST;
        if (premium && !override.map(DestinationOverride::allowPremium).orElse(false)) {
            throw refused(e164);
        }
        Set<String> countries = settings.allowedCountries();
        if (!countries.isEmpty()) {
            String region = util.getRegionCodeForNumber(parsed);
            boolean extra = region != null && override.map(o -> o.allowedCountries().contains(region)).orElse(false);
            if (region == null || !countries.contains(region) && !extra) {
                throw refused(e164);
            }
        }
        countAgainstLimits(userId);
    }

    private void countAgainstLimits(long userId) {
        long now = clock.millis();
        Deque<Long> times = placed.computeIfAbsent(userId, id -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - DAY.toMillis()) {
            times.pollFirst();
        }
        int perDay = settings.callsPerDay();
        if (perDay > 0 && times.size() >= perDay) {
            throw new CallException(CallException.Reason.CALL_RATE_LIMITED,
                    "You placed " + perDay + " calls in the last 24 hours, the most allowed.");
        }
        int perMinute = settings.callsPerMinute();
        if (perMinute > 0) {
            long inLastMinute = times.stream().filter(t -> t > now - MINUTE.toMillis()).count();
            if (inLastMinute >= perMinute) {
                throw new CallException(CallException.Reason.CALL_RATE_LIMITED,
                        "You placed " + perMinute + " calls in the last minute, the most allowed. Try again shortly.");
            }
        }
        times.addLast(now);
        int keep = Math.max(perDay, perMinute);
        while (keep > 0 && times.size() > keep || keep == 0 && !times.isEmpty()) {
            times.pollFirst(); // no limit at all: nothing to remember
        }
        if (times.isEmpty()) {
            placed.remove(userId);
        }
    }

    private static CallException refused(String e164) {
        return new CallException(CallException.Reason.DESTINATION_NOT_ALLOWED,
                "Calls to " + e164 + " are not allowed (premium rate, shared cost, or a blocked destination).");
    }

    /** The settings in force (for logs and tests). */
    public DestinationSettings settings() {
        return settings;
    }
}

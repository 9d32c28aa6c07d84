package org.opendialer.core.accounts;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * One user's exception to the gateway's destination policy (admin API {@code destination_policy}):
 * {@code allowPremium} lets them call premium-rate and shared-cost numbers, {@code allowedCountries}
 * (ISO 3166 regions) are allowed besides DIALER_ALLOWED_COUNTRIES. DIALER_BLOCKED_PREFIXES still applies.
 */
public record DestinationOverride(boolean allowPremium, Set<String> allowedCountries) {
    /** At most this many extra countries per user. */
    public static final int MAX_COUNTRIES = 50;

    public DestinationOverride {
        Set<String> regions = new TreeSet<>();
        for (String c : allowedCountries == null ? Set.<String>of() : allowedCountries) {
            String region = c == null ? "" : c.strip().toUpperCase(Locale.ROOT);
            if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
                throw new AccountException(AccountException.Reason.INVALID_INPUT,
                        "destination_policy.allowed_countries: '" + c + "' is not an ISO 3166 region code (e.g. GB)");
            }
            regions.add(region);
        }
        if (regions.size() > MAX_COUNTRIES) {
            throw new AccountException(AccountException.Reason.INVALID_INPUT,
                    "destination_policy.allowed_countries: at most " + MAX_COUNTRIES + " countries");
        }
        allowedCountries = Set.copyOf(regions);
    }

    /** Comma-separated, sorted, as stored. */
    String countriesText() {
        return String.join(",", new TreeSet<>(allowedCountries));
    }
}

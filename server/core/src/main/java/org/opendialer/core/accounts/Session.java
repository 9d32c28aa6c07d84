package org.opendialer.core.accounts;

import java.time.Instant;

/** A signed-in session. {@code token} is the raw bearer token; the database holds only its hash. */
public record Session(String token, Instant expiresAt, User user) {

    @Override
    public String toString() {
        return "Session[user=" + user.username() + ", expiresAt=" + expiresAt + "]";
    }
}

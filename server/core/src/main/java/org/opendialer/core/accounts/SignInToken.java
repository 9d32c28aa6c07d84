package org.opendialer.core.accounts;

import java.time.Instant;

/** A single-use sign-in token minted by an administrator for one user. */
public record SignInToken(String token, Instant expiresAt) {

    @Override
    public String toString() {
        return "SignInToken[expiresAt=" + expiresAt + "]";
    }
}

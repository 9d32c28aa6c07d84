package org.opendialer.core.accounts;

import java.time.Instant;

/** A dialer user as the rest of the system sees it: never carries the password hash. */
public record User(long id, String username, String displayName, String extension, String number, Instant createdAt) {}

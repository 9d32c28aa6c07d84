package org.opendialer.core.accounts;

/**
 * Input for {@link AccountService#createUser}. {@code displayName} defaults to the username when
 * null or blank; {@code number} is optional (E.164, any spacing accepted and normalised).
 */
public record NewUser(String username, String password, String displayName, String extension, String number) {}

package org.opendialer.core.accounts;

/**
 * A stored PBX account and whose it is.
 *
 * @param userId       the gateway user
 * @param account      the account (its toString hides the password)
 * @param contactToken the random user part of the Contact the gateway registers for it
 */
public record UserSipAccount(long userId, SipAccount account, String contactToken) {}

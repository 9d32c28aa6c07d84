package org.opendialer.core.accounts;

/**
 * A partial update for {@link AccountService#updateUser}: every null field is left unchanged.
 * {@code clearNumber} removes the number (and must not be combined with a new {@code number}).
 * Changing the password revokes the user's sessions.
 */
public record UserUpdate(String password, String displayName, String extension, String number, boolean clearNumber) {

    public static UserUpdate none() {
        return new UserUpdate(null, null, null, null, false);
    }
}

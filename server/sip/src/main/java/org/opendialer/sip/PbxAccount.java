package org.opendialer.sip;

/**
 * A SIP account on a PBX that the agent registers and places calls through (PBX mode).
 * {@link #toString()} never shows the password.
 *
 * @param registrar    where REGISTERs and the account's INVITEs go (also the domain of its address of record)
 * @param username     the user part of the address of record, used in From and To
 * @param authUsername the digest user name; null means {@code username}
 * @param password     the digest password
 * @param contactUser  the user part of the Contact we register: INVITEs to it belong to this account
 */
public record PbxAccount(SipSettings.Trunk registrar, String username, String authUsername, String password,
                         String contactUser) {

    public PbxAccount {
        if (registrar == null || username == null || password == null || contactUser == null) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "a PBX account needs a registrar, a username, a password and a contact user");
        }
    }

    String digestUsername() {
        return authUsername != null ? authUsername : username;
    }

    /** The address of record, e.g. {@code sip:alice@pbx.example.com}. */
    public String addressOfRecord() {
        return "sip:" + username + "@" + registrar.host();
    }

    @Override
    public String toString() {
        return "PbxAccount[" + addressOfRecord() + " via " + registrar.host() + ":" + registrar.port() + "/"
                + registrar.transport() + "]";
    }
}

package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
    /** RFC 2617 section 3.5: the worked example with qop=auth. */
    @Test
    void response_matchesRfc2617Example() {
        assertThat(DigestAuthenticator.response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    /** RFC 2069 form, without qop: MD5(HA1:nonce:HA2); value computed independently with md5sum. */
    @Test
    void response_withoutQop_usesRfc2069Form() {
        assertThat(DigestAuthenticator.response("Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", null, null, null))
                .isEqualTo("670fd8c2df070c60b045671b8b24ff02");
    }

    @Test
    void authorization_carriesAllFieldsForQopAuth() {
        var c = new DigestAuthenticator.Challenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "5ccc069c403ebaf9f0171e9517f40e41", "MD5", "auth,auth-int");
        String value = DigestAuthenticator.authorization(c, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", 1,
                "0a4f113b");
        assertThat(value).startsWith("Digest username=\"Mufasa\",realm=\"testrealm@host.com\"")
                .contains("response=\"6629fae49393a05397450978507c4ef1\"", "qop=auth,", "nc=00000001",
                        "cnonce=\"0a4f113b\"", "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    }

    @Test
    void supports_onlyMd5AndQopAuth() {
        assertThat(DigestAuthenticator.supports(new DigestAuthenticator.Challenge("r", "n", null, null, null))).isTrue();
        assertThat(DigestAuthenticator.supports(new DigestAuthenticator.Challenge("r", "n", null, "MD5", "auth")))
                .isTrue();
        assertThat(DigestAuthenticator.supports(new DigestAuthenticator.Challenge("r", "n", null, "SHA-256", "auth")))
                .isFalse();
        assertThat(DigestAuthenticator.supports(new DigestAuthenticator.Challenge("r", "n", null, "MD5", "auth-int")))
                .isFalse();
    }
}

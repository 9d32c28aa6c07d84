package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class CallerIdentityTest {
    private static CallerIdentity identityOf(String requestUri, String from, String... extra) throws Exception {
        StringBuilder b = new StringBuilder("INVITE ").append(requestUri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: ").append(from).append(";tag=1928301774\r\n")
                .append("To: <sip:+14155550199@gw.example>\r\n")
                .append("Call-ID: a84b4c76e66710@192.0.2.1\r\n")
                .append("CSeq: 314159 INVITE\r\n");
        for (String h : extra) {
            b.append(h).append("\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        Request request = new MessageFactoryImpl().createRequest(b.toString());
        return CallerIdentity.of(request);
    }

    @Test
    void fromDisplayNameAndNumber() throws Exception {
        assertThat(identityOf("sip:+14155550199@gw.example", "\"Ada Lovelace\" <sip:+14155550100@trunk.example>"))
                .isEqualTo(new CallerIdentity("+14155550100", "Ada Lovelace", "+14155550199"));
    }

    @Test
    void displayNameFallsBackToPAssertedIdentity() throws Exception {
        assertThat(identityOf("sip:201@gw.example", "<sip:+14155550100@trunk.example>",
                "P-Asserted-Identity: \"Front Desk\" <sip:+14155550100@trunk.example>"))
                .isEqualTo(new CallerIdentity("+14155550100", "Front Desk", "201"));
    }

    @Test
    void noDisplayNameAnywhere_isNull() throws Exception {
        assertThat(identityOf("sip:201@gw.example", "<sip:14155550100@trunk.example>").displayName()).isNull();
    }

    @Test
    void anonymousFrom_hidesNumberAndName() throws Exception {
        assertThat(identityOf("sip:+14155550199@gw.example", "\"Anonymous\" <sip:anonymous@anonymous.invalid>"))
                .isEqualTo(new CallerIdentity(null, null, "+14155550199"));
    }

    @Test
    void privacyId_hidesEvenAnAssertedIdentity() throws Exception {
        assertThat(identityOf("sip:+14155550199@gw.example", "\"Sam\" <sip:+14155550111@trunk.example>",
                "Privacy: id", "P-Asserted-Identity: \"Sam\" <sip:+14155550111@trunk.example>"))
                .isEqualTo(new CallerIdentity(null, null, "+14155550199"));
    }

    @Test
    void telUriAndVisualSeparatorsAndUserParameters() throws Exception {
        assertThat(identityOf("tel:+1-415-555-0199", "<sip:+14155550100;npdi@trunk.example>"))
                .isEqualTo(new CallerIdentity("+14155550100", null, "+14155550199"));
    }

    @Test
    void nonNumericUser_isNotANumber_andTheCalledNumberFallsBackToTheToHeader() throws Exception {
        assertThat(identityOf("sip:alice@gw.example", "<sip:bob@trunk.example>"))
                .isEqualTo(new CallerIdentity(null, null, "+14155550199"));
    }

    @Test
    void assertedIdentity_winsOverTheFromTheCallerWrote() throws Exception {
        assertThat(identityOf("sip:+14155550199@gw.example", "\"Spoofed\" <sip:+19995550000@trunk.example>",
                "P-Asserted-Identity: \"Front Desk\" <sip:+14155550100@trunk.example>"))
                .isEqualTo(new CallerIdentity("+14155550100", "Front Desk", "+14155550199"));
    }

    @Test
    void anonymousFromWithAnAssertedIdentityAndNoPrivacy_showsTheAssertedCaller() throws Exception {
        assertThat(identityOf("sip:+14155550199@gw.example", "\"Anonymous\" <sip:anonymous@anonymous.invalid>",
                "P-Asserted-Identity: <sip:pbx@trunk.example>", "P-Asserted-Identity: <tel:+14155550100>"))
                .isEqualTo(new CallerIdentity("+14155550100", null, "+14155550199"));
    }
}

package org.opendialer.media.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opendialer.media.Hex;

class IceLiteResponderTest {
    static final String LOCAL_UFRAG = "gw01";
    static final String LOCAL_PWD = "0123456789abcdefghijklmn";
    static final byte[] TXID = Hex.bytes("000102030405060708090a0b");
    final InetSocketAddress browser = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123);
    final IceLiteResponder responder = new IceLiteResponder(LOCAL_UFRAG, LOCAL_PWD, "brow");

    /** A check shaped like Chromium's: USERNAME, PRIORITY, ICE-CONTROLLING, 0xC057, MI, FINGERPRINT. */
    static byte[] check(String username, String pwd, boolean useCandidate) {
        StunMessageBuilder b = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, TXID)
                .username(username)
                .attribute(0xC057, new byte[] {0, 2, 0, 0})
                .iceRole(StunAttribute.ICE_CONTROLLING, 42)
                .priority(1845501695L);
        if (useCandidate) {
            b.useCandidate();
        }
        return b.messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8)).fingerprint().build();
    }

    @Test
    void validCheck_getsSuccessWithMappedAddressIntegrityAndFingerprint() throws Exception {
        byte[] req = check("gw01:brow", LOCAL_PWD, false);
        IceCheckResult r = responder.handle(req, 0, req.length, browser);
        assertThat(r.valid()).isTrue();
        assertThat(r.nominated()).isFalse();
        StunMessage resp = StunMessage.parse(r.response(), 0, r.response().length);
        assertThat(resp.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(resp.transactionId()).isEqualTo(TXID);
        assertThat(resp.xorMappedAddress()).isEqualTo(browser);
        assertThat(resp.verifyIntegrity(LOCAL_PWD.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(resp.verifyFingerprint()).isTrue();
        assertThat(responder.validatedAddress()).isEqualTo(browser);
        assertThat(responder.nominatedAddress()).isNull();
    }

    @Test
    void useCandidate_nominatesTheSenderAddress() {
        byte[] req = check("gw01:brow", LOCAL_PWD, true);
        IceCheckResult r = responder.handle(req, 0, req.length, browser);
        assertThat(r.nominated()).isTrue();
        assertThat(responder.nominatedAddress()).isEqualTo(browser);
    }

    @Test
    void wrongPassword_gets401WithoutIntegrity() throws Exception {
        byte[] req = check("gw01:brow", "not-the-password-at-all", true);
        IceCheckResult r = responder.handle(req, 0, req.length, browser);
        assertThat(r.valid()).isFalse();
        StunMessage resp = StunMessage.parse(r.response(), 0, r.response().length);
        assertThat(resp.errorCode()).isEqualTo(401);
        assertThat(resp.hasIntegrity()).isFalse();
        assertThat(responder.nominatedAddress()).isNull();
    }

    @Test
    void wrongUfrag_gets401() throws Exception {
        for (String username : new String[] {"other:brow", "gw01:other", "gw01"}) {
            byte[] req = check(username, LOCAL_PWD, false);
            IceCheckResult r = responder.handle(req, 0, req.length, browser);
            assertThat(StunMessage.parse(r.response(), 0, r.response().length).errorCode()).as(username).isEqualTo(401);
        }
    }

    @Test
    void missingIntegrity_gets400() throws Exception {
        byte[] req = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, TXID).username("gw01:brow").fingerprint().build();
        IceCheckResult r = responder.handle(req, 0, req.length, browser);
        assertThat(StunMessage.parse(r.response(), 0, r.response().length).errorCode()).isEqualTo(400);
    }

    @Test
    void unknownComprehensionRequiredAttribute_gets420ListingIt() throws Exception {
        byte[] req = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, TXID).username("gw01:brow")
                .attribute(0x0077, new byte[4]).messageIntegrity(LOCAL_PWD.getBytes(StandardCharsets.UTF_8)).build();
        IceCheckResult r = responder.handle(req, 0, req.length, browser);
        StunMessage resp = StunMessage.parse(r.response(), 0, r.response().length);
        assertThat(resp.errorCode()).isEqualTo(420);
        assertThat(resp.attribute(StunAttribute.UNKNOWN_ATTRIBUTES)).isEqualTo(new byte[] {0x00, 0x77});
    }

    @Test
    void badFingerprintOrGarbageOrResponse_isIgnoredSilently() {
        byte[] req = check("gw01:brow", LOCAL_PWD, true);
        req[req.length - 1] ^= 1;
        assertThat(responder.handle(req, 0, req.length, browser).response()).isNull();
        byte[] junk = {1, 2, 3};
        assertThat(responder.handle(junk, 0, junk.length, browser).response()).isNull();
        byte[] resp = StunMessageTest.RESPONSE_V4;
        assertThat(responder.handle(resp, 0, resp.length, browser).response()).isNull();
    }

    @Test
    void localUfragOf_routesByTheFirstHalfOfUsername() throws Exception {
        byte[] req = check("gw01:brow", LOCAL_PWD, false);
        assertThat(IceLiteResponder.localUfragOf(StunMessage.parse(req, 0, req.length))).isEqualTo("gw01");
    }
}

package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RTP/SAVP with SDES keys in our SDP (RFC 4568) and what DIALER_SIP_SRTP accepts. */
class SdesSdpTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[30]);

    private static String offer(String profile, String... attributes) {
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n")
                .append("m=audio 4000 ").append(profile).append(" 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        for (String a : attributes) {
            b.append(a).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void srtpOffer_formatsRtpSavpAndItsCryptoLine_andParsesBack() {
        SdesCrypto key = SdesCrypto.fresh(1);
        AudioSdp offer = AudioSdp.offer("192.0.2.10", 20000).withSrtp(key);
        String text = offer.format();
        assertThat(text).contains("m=audio 20000 RTP/SAVP 0 8 101\r\n")
                .containsPattern("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\r\n");
        AudioSdp parsed = AudioSdp.parse(text);
        assertThat(parsed.secure()).isTrue();
        assertThat(parsed.crypto()).isEqualTo(key);
        assertThat(parsed.withDirection(MediaDirection.SENDONLY).crypto()).isEqualTo(key);
        assertThat(offer.withSrtp(null).format()).contains("RTP/AVP").doesNotContain("crypto");
        assertThat(key.toString()).doesNotContain(Base64.getEncoder().encodeToString(key.keySalt()));
    }

    @Test
    void theFirstUsableCryptoLine_isChosen_andOtherSuitesMkisAndBadKeysAreSkipped() {
        AudioSdp sdp = AudioSdp.parse(offer("RTP/SAVP",
                "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:" + KEY,
                "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY,
                "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4",
                "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=",
                "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^31",
                "a=crypto:6 AES_CM_128_HMAC_SHA1_80 inline:" + KEY));
        assertThat(sdp.secure()).isTrue();
        assertThat(sdp.crypto().tag()).isEqualTo(5);
        AudioSdp none = AudioSdp.parse(offer("RTP/SAVP", "a=crypto:1 F8_128_HMAC_SHA1_80 inline:" + KEY));
        assertThat(none.secure()).isTrue();
        assertThat(none.crypto()).isNull();
    }

    @Test
    void srtpMode_acceptsOffers_asConfigured() {
        AudioSdp plain = AudioSdp.parse(offer("RTP/AVP"));
        AudioSdp srtp = AudioSdp.parse(offer("RTP/SAVP", "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY));
        AudioSdp srtpWithoutKey = AudioSdp.parse(offer("RTP/SAVP"));
        assertThat(SrtpMode.OFF.acceptsOffer(plain)).isTrue();
        assertThat(SrtpMode.OFF.acceptsOffer(srtp)).isFalse();
        assertThat(SrtpMode.OPTIONAL.acceptsOffer(plain)).isTrue();
        assertThat(SrtpMode.OPTIONAL.acceptsOffer(srtp)).isTrue();
        assertThat(SrtpMode.OPTIONAL.acceptsOffer(srtpWithoutKey)).isFalse();
        assertThat(SrtpMode.REQUIRED.acceptsOffer(plain)).isFalse();
        assertThat(SrtpMode.REQUIRED.acceptsOffer(srtp)).isTrue();
        assertThat(SrtpMode.REQUIRED.refusal(plain)).contains("SRTP required");
    }

    @Test
    void anAnswer_mustKeepTheOffersProfile_withAKeyForSrtp() {
        AudioSdp ourSrtp = AudioSdp.offer("192.0.2.10", 20000).withSrtp(SdesCrypto.fresh(1));
        AudioSdp ourPlain = AudioSdp.offer("192.0.2.10", 20000);
        AudioSdp plain = AudioSdp.parse(offer("RTP/AVP"));
        AudioSdp srtp = AudioSdp.parse(offer("RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY));
        assertThat(srtp.isUsableAnswerTo(ourSrtp)).isTrue();
        assertThat(plain.isUsableAnswerTo(ourSrtp)).isFalse();
        assertThat(AudioSdp.parse(offer("RTP/SAVP")).isUsableAnswerTo(ourSrtp)).isFalse();
        assertThat(srtp.isUsableAnswerTo(ourPlain)).isFalse();
        assertThat(plain.isUsableAnswerTo(ourPlain)).isTrue();
    }

    @Test
    void ourAnswerToAnSrtpOffer_echoesItsTag_withAKeyOfOurOwn() {
        SipSettings settings = SipSettings.of("127.0.0.1", 5060, null);
        SipUserAgent agent = new SipUserAgent(settings.withTrunkOptions(settings.trunkOptions().withSrtp(SrtpMode.OPTIONAL)), null);
        AudioSdp srtp = AudioSdp.parse(offer("RTP/SAVP", "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY));
        AudioSdp answer = agent.localAnswer(srtp, 20000);
        assertThat(answer.secure()).isTrue();
        assertThat(answer.crypto().tag()).isEqualTo(7);
        assertThat(answer.crypto().keySalt()).isNotEqualTo(srtp.crypto().keySalt());
        assertThat(agent.localAnswer(AudioSdp.parse(offer("RTP/AVP")), 20000).secure()).isFalse();
        assertThat(agent.localOffer(20000).secure()).isTrue();
        assertThat(new SipUserAgent(settings, null).localOffer(20000).secure()).isFalse();
    }
}

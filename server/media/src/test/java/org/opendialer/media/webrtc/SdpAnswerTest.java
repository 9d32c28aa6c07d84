package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpAnswerTest {
    static final IceCredentials ICE = new IceCredentials("abcd1234", "0123456789abcdefghijklmn");
    static final String FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @Test
    void answerCarriesEverythingChromiumInsistsOn() {
        String sdp = new SdpAnswer().address("127.0.0.1", 40000).ice(ICE).fingerprint(FP).mid("0")
                .telephoneEventPayloadType(126).sessionId(42).build();
        List<String> lines = List.of(sdp.split("\r\n"));
        assertThat(sdp).endsWith("\r\n").doesNotContain("\n\n");
        assertThat(lines.get(0)).isEqualTo("v=0");
        assertThat(lines).contains(
                "o=- 42 2 IN IP4 127.0.0.1",
                "a=group:BUNDLE 0",
                "a=ice-lite",
                "m=audio 40000 UDP/TLS/RTP/SAVPF 0 126",
                "a=mid:0",
                "a=sendrecv",
                "a=rtcp-mux",
                "a=ice-ufrag:abcd1234",
                "a=ice-pwd:0123456789abcdefghijklmn",
                "a=fingerprint:sha-256 " + FP,
                "a=setup:passive",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:126 telephone-event/8000",
                "a=fmtp:126 0-15",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
                "a=end-of-candidates");
        // ice-lite is a session attribute: it must come before the m= line (RFC 8839 §5.3)
        assertThat(lines.indexOf("a=ice-lite")).isLessThan(lines.indexOf("m=audio 40000 UDP/TLS/RTP/SAVPF 0 126"));
    }

    @Test
    void pcmaWithoutDtmf_andIpv6() {
        String sdp = new SdpAnswer().address("::1", 40000).ice(ICE).fingerprint(FP)
                .audioPayloadType(8).telephoneEventPayloadType(-1).ssrc(0xFFFFFFFFL, "gw").build();
        assertThat(sdp).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 8\r\n", "a=rtpmap:8 PCMA/8000",
                "c=IN IP6 ::1", "a=ssrc:4294967295 cname:gw").doesNotContain("telephone-event");
    }

    @Test
    void refusesIncompleteOrUnsupportedAnswers() {
        assertThatThrownBy(() -> new SdpAnswer().address("127.0.0.1", 40000).fingerprint(FP).build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SdpAnswer().ice(ICE).fingerprint(FP).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SdpAnswer().audioPayloadType(111)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomCredentials_areIceCharsOfTheRightLength() {
        IceCredentials c = IceCredentials.random();
        assertThat(c.ufrag()).matches("[A-Za-z0-9+/]{8}");
        assertThat(c.password()).matches("[A-Za-z0-9+/]{24}");
        assertThat(IceCredentials.random().ufrag()).isNotEqualTo(c.ufrag());
    }
}

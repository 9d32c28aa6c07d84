package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpOfferTest {
    static final String FP = "9F:1A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08:19:2A:3B:4C:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7:08";

    /** The shape of a Chromium offer after setCodecPreferences(PCMU, PCMA, telephone-event), plus a data channel. */
    static final String CHROMIUM = String.join("\r\n",
            "v=0",
            "o=- 8403615332048243445 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 0 8 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Qx7e",
            "a=ice-pwd:g2bWnDvZ4zKx1pOq7eYfJ3Ab",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + FP.toLowerCase(),
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=sendrecv",
            "a=msid:- 1d7a0b8e-5f7e-4c43-9e1f-0e3c1f1b2a3c",
            "a=rtcp-mux",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:3735928559 cname:abcdEFGHijkl",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Qx7e",
            "a=ice-pwd:g2bWnDvZ4zKx1pOq7eYfJ3Ab",
            "a=fingerprint:sha-256 " + FP,
            "a=setup:actpass",
            "a=mid:1",
            "a=sctp-port:5000",
            "") ;

    @Test
    void readsWhatTheAnswerNeeds_fromAChromiumOffer() throws Exception {
        SdpOffer offer = SdpOffer.parse(CHROMIUM);
        assertThat(offer.iceUfrag()).isEqualTo("Qx7e");
        assertThat(offer.icePwd()).isEqualTo("g2bWnDvZ4zKx1pOq7eYfJ3Ab");
        assertThat(offer.fingerprint()).isEqualTo("sha-256 " + FP); // normalised to upper case
        assertThat(offer.setup()).isEqualTo("actpass");
        assertThat(offer.mid()).isEqualTo("0");
        assertThat(offer.direction()).isEqualTo("sendrecv");
        assertThat(offer.pcmuPayloadType()).isZero();
        assertThat(offer.pcmaPayloadType()).isEqualTo(8);
        assertThat(offer.telephoneEventPayloadType()).isEqualTo(126);
        assertThat(offer.otherSectionsBefore()).isEmpty();
        assertThat(offer.otherSectionsAfter()).containsExactly(
                new SdpOffer.OtherSection("application", "UDP/DTLS/SCTP", "webrtc-datachannel", "1"));
    }

    @Test
    void sessionLevelCredentials_staticPayloadTypesWithoutRtpmap_dynamicPcmu_andLfLineEnds() throws Exception {
        String sdp = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n"
                + "a=ice-ufrag:sess\na=ice-pwd:sessionpassword1234567890\n"
                + "a=fingerprint:sha-1 AA:BB\na=fingerprint:sha-256 " + FP + "\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:v\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 8 110 101\na=mid:a\na=recvonly\n"
                + "a=rtpmap:110 PCMU/8000\na=rtpmap:101 telephone-event/8000\na=rtpmap:102 telephone-event/48000\n";
        SdpOffer offer = SdpOffer.parse(sdp);
        assertThat(offer.iceUfrag()).isEqualTo("sess");
        assertThat(offer.fingerprint()).isEqualTo("sha-256 " + FP); // sha-1 skipped
        assertThat(offer.pcmaPayloadType()).isEqualTo(8);            // static: no rtpmap needed
        assertThat(offer.pcmuPayloadType()).isEqualTo(110);
        assertThat(offer.telephoneEventPayloadType()).isEqualTo(101);
        assertThat(offer.direction()).isEqualTo("recvonly");
        assertThat(offer.setup()).isNull();
        assertThat(offer.otherSectionsBefore()).containsExactly(new SdpOffer.OtherSection("video", "UDP/TLS/RTP/SAVPF", "96", "v"));
    }

    @Test
    void unusableOffers_sayWhy() {
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("m=audio 9", "m=audio 0")))
                .isInstanceOf(SdpException.class).hasMessageContaining("no usable audio");
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP")))
                .isInstanceOf(SdpException.class).hasMessageContaining("no usable audio");
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("a=setup:actpass", "a=setup:passive")))
                .isInstanceOf(SdpException.class).hasMessageContaining("DTLS server");
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("sha-256", "sha-1")))
                .isInstanceOf(SdpException.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("0 8 126", "111 126").replace("a=rtpmap:0 PCMU/8000", "")
                .replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:111 opus/48000/2")))
                .isInstanceOf(SdpException.class).hasMessageContaining("neither PCMU nor PCMA");
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM.replace("a=rtpmap:126 telephone-event/8000", "a=rtpmap:999 PCMU/8000")
                .replace("0 8 126", "999")))
                .isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> SdpOffer.parse(CHROMIUM + "a=" + "x".repeat(SdpOffer.MAX_LENGTH)))
                .isInstanceOf(SdpException.class).hasMessageContaining("16384");
        assertThatThrownBy(() -> SdpOffer.parse(null)).isInstanceOf(SdpException.class);
    }

    @Test
    void answer_echoesTheOffersPayloadTypes_mirrorsItsDirection_andRejectsTheOtherSections() throws Exception {
        SdpOffer offer = SdpOffer.parse(CHROMIUM.replace("a=sendrecv", "a=sendonly"));
        String sdp = new SdpAnswer().address("192.0.2.7", 40000).ice(SdpAnswerTest.ICE).fingerprint(SdpAnswerTest.FP)
                .mid(offer.mid()).audioFormats(new int[] {0, 8}, new String[] {"PCMU", "PCMA"})
                .telephoneEventPayloadType(offer.telephoneEventPayloadType()).direction("recvonly")
                .rejected(offer.otherSectionsBefore(), offer.otherSectionsAfter()).build();
        List<String> lines = List.of(sdp.split("\r\n"));
        assertThat(lines).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 0 8 126", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000", "a=recvonly", "a=group:BUNDLE 0",
                "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:1");
        assertThat(lines.indexOf("m=application 0 UDP/DTLS/SCTP webrtc-datachannel"))
                .isGreaterThan(lines.indexOf("m=audio 40000 UDP/TLS/RTP/SAVPF 0 8 126"));
        assertThat(lines).doesNotContain("a=sendrecv");
    }
}

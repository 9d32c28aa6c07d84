package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioSdpTest {
    /** What SIPp's built-in uac offers (with -mi 127.0.0.1 -mp 6000). */
    private static final String SIPP = """
            v=0
            o=user1 53655765 2353687637 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 6000 RTP/AVP 0
            a=rtpmap:0 PCMU/8000
            """;

    /** A Chromium offer trimmed to the lines that matter here: Opus first, G.711 later, ICE and DTLS noise. */
    private static final String CHROMIUM = "v=0\r\n"
            + "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "t=0 0\r\n"
            + "a=group:BUNDLE 0\r\n"
            + "a=msid-semantic: WMS\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:8hhY\r\n"
            + "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
            + "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
            + "a=setup:actpass\r\n"
            + "a=mid:0\r\n"
            + "a=sendrecv\r\n"
            + "a=rtcp-mux\r\n"
            + "a=rtpmap:111 opus/48000/2\r\n"
            + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
            + "a=rtpmap:63 red/48000/2\r\n"
            + "a=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:13 CN/8000\r\n"
            + "a=rtpmap:110 telephone-event/48000\r\n"
            + "a=rtpmap:126 telephone-event/8000\r\n";

    /** baresip-like: PCMA preferred, telephone-event 101, session-level c=, ptime, a video line after audio. */
    private static final String BARESIP = "v=0\r\n"
            + "o=- 1732454231 1732454232 IN IP4 192.0.2.10\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\n"
            + "m=audio 10630 RTP/AVP 8 0 101\r\n"
            + "b=AS:64\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-15\r\n"
            + "a=ptime:20\r\n"
            + "a=sendonly\r\n"
            + "m=video 0 RTP/AVP 96\r\n"
            + "a=inactive\r\n";

    @Test
    void parse_sippOffer_staticPcmuOnLfLines() {
        AudioSdp sdp = AudioSdp.parse(SIPP);
        assertThat(sdp.address()).isEqualTo("127.0.0.1");
        assertThat(sdp.port()).isEqualTo(6000);
        assertThat(sdp.formats()).containsExactly(RtpFormat.PCMU);
        assertThat(sdp.direction()).isEqualTo(MediaDirection.SENDRECV);
        assertThat(sdp.sessionVersion()).isEqualTo(2353687637L);
    }

    @Test
    void answer_toChromiumOffer_picksFirstCommonCodec_andTelephoneEventAt8k() {
        AudioSdp offer = AudioSdp.parse(CHROMIUM);
        assertThat(offer.address()).isEqualTo("0.0.0.0");
        assertThat(offer.formats()).hasSize(8);
        AudioSdp answer = offer.answer("203.0.113.5", 30000);
        assertThat(answer.formats()).containsExactly(RtpFormat.PCMU,
                new RtpFormat(126, "telephone-event", 8000, null));
        assertThat(answer.direction()).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void answer_toBaresipOffer_keepsPcmaFirst_andMirrorsSendonly() {
        AudioSdp offer = AudioSdp.parse(BARESIP);
        assertThat(offer.address()).isEqualTo("192.0.2.10");
        assertThat(offer.ptime()).isEqualTo(20);
        assertThat(offer.telephoneEvent()).contains(new RtpFormat(101, "telephone-event", 8000, "0-15"));
        AudioSdp answer = offer.answer("203.0.113.5", 30000);
        assertThat(answer.firstCommonCodec()).contains(RtpFormat.PCMA);
        assertThat(answer.direction()).isEqualTo(MediaDirection.RECVONLY);
    }

    @Test
    void answer_withoutCommonCodec_throwsNoCommonCodec() {
        AudioSdp opusOnly = AudioSdp.parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n");
        assertThatThrownBy(() -> opusOnly.answer("10.0.0.2", 5000)).isInstanceOfSatisfying(SipAgentException.class,
                e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.NO_COMMON_CODEC));
    }

    @Test
    void offer_formatsWhatItParses() {
        AudioSdp offer = AudioSdp.offer("198.51.100.7", 40000);
        String text = offer.format();
        assertThat(text).contains("c=IN IP4 198.51.100.7\r\n", "m=audio 40000 RTP/AVP 0 8 101\r\n",
                "a=rtpmap:101 telephone-event/8000\r\n", "a=fmtp:101 0-16\r\n", "a=ptime:20\r\n", "a=sendrecv\r\n");
        assertThat(text).startsWith("v=0\r\no=opendialer ");
        assertThat(AudioSdp.parse(text)).isEqualTo(offer);
    }

    @Test
    void withDirection_bumpsSessionVersion() {
        AudioSdp offer = AudioSdp.offer("198.51.100.7", 40000);
        AudioSdp hold = offer.withDirection(MediaDirection.SENDONLY);
        assertThat(hold.sessionVersion()).isEqualTo(offer.sessionVersion() + 1);
        assertThat(hold.sessionId()).isEqualTo(offer.sessionId());
        assertThat(hold.format()).contains("a=sendonly\r\n");
    }

    @Test
    void parse_skipsRejectedFirstAudioStream_andUsesMediaLevelAddress() {
        AudioSdp sdp = AudioSdp.parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 0 RTP/AVP 0\r\n"
                + "m=audio 5004 RTP/AVP 8\r\nc=IN IP4 10.0.0.9\r\na=inactive\r\n");
        assertThat(sdp.port()).isEqualTo(5004);
        assertThat(sdp.address()).isEqualTo("10.0.0.9");
        assertThat(sdp.direction()).isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void parse_rejectsBodiesWithoutUsableAudio() {
        for (String bad : new String[] {"", "garbage", "v=0\r\nm=video 5000 RTP/AVP 96\r\n",
                "v=0\r\nm=audio 5000 RTP/AVP 0\r\n", "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n",
                "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 300\r\n"}) {
            assertThatThrownBy(() -> AudioSdp.parse(bad)).as(bad).isInstanceOfSatisfying(SipAgentException.class,
                    e -> assertThat(e.reason()).isEqualTo(SipAgentException.Reason.INVALID_SDP));
        }
    }
}

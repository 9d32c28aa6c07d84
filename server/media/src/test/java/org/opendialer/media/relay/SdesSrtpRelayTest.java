package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.media.g711.G711;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;
import org.opendialer.testkit.Goertzel;
import org.opendialer.testkit.RtpengineProcess;

/**
 * SRTP with SDES keys toward the SIP side, against a real SDES peer: rtpengine takes the relay's RTP/SAVP
 * offer (our key in {@code a=crypto}), answers with its own key, and bridges to plain RTP on a test socket.
 * A tone goes each way, browser → relay → SRTP → rtpengine → plain peer and back; each arrives only if both
 * ends encrypted, authenticated and decrypted it right. Fixed ports: offsets 1100-1141 from E2E_PORT_BASE
 * (system property e2e.portBase, default 18080); the secure-trunk e2e spec takes 1150-1199.
 */
@Timeout(60)
class SdesSrtpRelayTest {
    private static final int BASE = Integer.getInteger("e2e.portBase", 18080) + 1100;
    private static final int NG_PORT = BASE;
    private static final int RTPENGINE_MIN = BASE + 2;
    private static final int RTPENGINE_MAX = BASE + 21;
    private static final int RELAY_MIN = BASE + 22;
    private static final int RELAY_MAX = BASE + 41;
    private static final Pattern PORT = Pattern.compile("m=audio (\\d+) (\\S+)");
    private static final Pattern CRYPTO = Pattern.compile("a=crypto:(\\d+) AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)");

    private final MediaRelayTest helpers = new MediaRelayTest();

    @AfterEach
    void tearDown() throws Exception {
        helpers.tearDown();
    }

    @Test
    void toneBothWays_throughAnSdesPeer_isEncryptedAndDecryptedByTheRelay() throws Exception {
        MediaRelay relay = helpers.relay(RELAY_MIN, RELAY_MAX, Duration.ofSeconds(30));
        MediaSession session = relay.newSession(helpers.listener);
        TestBrowser browser = helpers.connectedBrowser(session, Side.A, Codec.PCMU);
        int relayPort = session.openRtp();
        byte[] ourKey = new byte[30];
        new SecureRandom().nextBytes(ourKey);
        SipPeer plainPeer = helpers.track(new SipPeer());
        try (RtpengineProcess rtpengine = RtpengineProcess.start(Path.of("target", "rtpengine").toAbsolutePath(),
                NG_PORT, RTPENGINE_MIN, RTPENGINE_MAX)) {
            String callId = "sdes-" + System.nanoTime();
            String toPeer = rtpengine.offer(callId, "relay", sdp(relayPort, "RTP/SAVP",
                    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Base64.getEncoder().encodeToString(ourKey)),
                    Map.of("transport-protocol", "RTP/AVP"));
            Matcher plainSide = PORT.matcher(toPeer);
            assertThat(plainSide.find()).as(toPeer).isTrue();
            assertThat(plainSide.group(2)).isEqualTo("RTP/AVP");
            String toRelay = rtpengine.answer(callId, "relay", "peer", sdp(plainPeer.address().getPort(), "RTP/AVP", null));
            Matcher srtpSide = PORT.matcher(toRelay);
            Matcher crypto = CRYPTO.matcher(toRelay);
            assertThat(srtpSide.find()).as(toRelay).isTrue();
            assertThat(srtpSide.group(2)).isEqualTo("RTP/SAVP");
            assertThat(crypto.find()).as(toRelay).isTrue();

            session.rtpSrtp(ourKey, Base64.getDecoder().decode(crypto.group(2)));
            session.rtpRemote(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(srtpSide.group(1))), Codec.PCMU, 0, -1);
            plainPeer.relayAt(Integer.parseInt(plainSide.group(1)));

            // Browser → SIP: a 1 kHz tone, heard by the plain peer after rtpengine decrypted the relay's SRTP.
            for (int i = 0; i < 25; i++) {
                browser.sendRtp(0, 100 + i, 160L * i, 0xA1, i == 0, tone(1000, i));
                Thread.sleep(20);
            }
            byte[] first = plainPeer.receive(10_000); // queued in the socket meanwhile
            assertThat(first).as("no audio reached the plain side of rtpengine:\n" + rtpengine.log()).isNotNull();
            assertThat(Rtp.pt(first)).isEqualTo(0);
            assertThat(first.length).isEqualTo(12 + 160); // rtpengine removed the 10-byte SRTP tag
            assertThat(toneRatio(first, 1000)).isGreaterThan(0.9);

            // SIP → browser: a 440 Hz tone from the plain peer, encrypted by rtpengine, decrypted by the relay.
            for (int i = 0; i < 25; i++) {
                plainPeer.send(0, 500 + i, 160L * i, 0x5D, i == 0, tone(440, i));
                Thread.sleep(20);
            }
            byte[] heard = browser.nextRtp(10_000);
            assertThat(heard).as("no audio reached the browser:\n" + rtpengine.log()).isNotNull();
            assertThat(Rtp.pt(heard)).isEqualTo(0);
            assertThat(toneRatio(heard, 440)).isGreaterThan(0.9);
            assertThat(session.stats().bToA().packetsForwarded()).isPositive();
        }
    }

    private static String sdp(int port, String profile, String crypto) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port + " " + profile
                + " 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" + (crypto == null ? "" : crypto + "\r\n");
    }

    /** 20 ms of a sine at {@code hz}, µ-law, continuing from frame {@code frame}. */
    static byte[] tone(double hz, int frame) {
        byte[] out = new byte[160];
        for (int n = 0; n < 160; n++) {
            double t = (frame * 160 + n) / 8000.0;
            out[n] = G711.linearToUlaw((short) (8000 * Math.sin(2 * Math.PI * hz * t)));
        }
        return out;
    }

    /** The share of the µ-law payload's energy at {@code hz} (≈ 1 for a pure tone). */
    static double toneRatio(byte[] rtp, double hz) {
        short[] samples = new short[rtp.length - 12];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = G711.ulawToLinear(rtp[12 + i]);
        }
        return Goertzel.energyRatio(samples, hz, 8000);
    }
}

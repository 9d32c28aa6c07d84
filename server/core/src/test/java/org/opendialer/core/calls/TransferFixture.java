package org.opendialer.core.calls;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;

/**
 * What the engine's SIP transfer tests share: a {@link SipEngineFixture}, an RTP socket of the test for the SIPp
 * caller's audio and one for the SIPp target's (each SIPp's SDP points at its socket, so {@link RtpProbe} checks the
 * audio of both legs), alice's dialer on the started engine, and her answer of the caller's call. A test registers
 * it ({@code @RegisterExtension final TransferFixture t = new TransferFixture();}): it is set up before each test, in
 * a temporary directory of its own, and closed after it.
 */
final class TransferFixture implements BeforeEachCallback, AfterEachCallback {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Alice's number: what the SIPp caller dials. */
    static final String ALICE_NUMBER = "+12015550123";
    /** A number on the SIPp trunk to transfer to. */
    static final DialTarget NUMBER = new DialTarget.PhoneNumber("+14155550199");

    private Path dir;
    SipEngineFixture fx;
    DatagramSocket callerRtp;
    DatagramSocket targetRtp;
    CallEngine engine;
    RecordingDialer alice;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("transfer-test");
        fx = new SipEngineFixture(dir);
        callerRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        targetRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Starts the engine toward {@code trunk} with RTP on rtpMin..rtpMax and attaches alice's dialer. */
    CallEngine start(SippPeer trunk, int rtpMin, int rtpMax, Duration ringTimeout) throws Exception {
        engine = fx.start(trunk.uri(), rtpMin, rtpMax, ringTimeout, e -> {});
        alice = new RecordingDialer(fx.alice.id());
        engine.attach(alice);
        return engine;
    }

    /** A SIPp caller of alice's number whose SDP offers {@link #callerRtp}; {@code keys} add scenario keys. */
    SippPeer caller(String scenario, Map<String, String> keys) throws Exception {
        Map<String, String> all = new HashMap<>(keys);
        all.put("rtp_port", String.valueOf(callerRtp.getLocalPort()));
        return SippPeer.uac(scenario, fx.sipPort, ALICE_NUMBER, all);
    }

    /** Alice answers the call ringing at her dialer; returns it as it rang. */
    CallView answeredCall() throws Exception {
        CallView ringing = alice.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(alice, ringing.id());
        return ringing;
    }

    /** Creates the user bob (extension 1002) and attaches a dialer of his to the started engine. */
    RecordingDialer bob() {
        User bob = fx.accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        RecordingDialer bobs = new RecordingDialer(bob.id());
        engine.attach(bobs);
        return bobs;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        fx.close();
        callerRtp.close();
        targetRtp.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.testkit.BaresipProcess;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/**
 * PBX mode against real peers: Kamailio as registrar and proxy with digest auth, baresip as the other
 * phone (extension 2001, auto-answer). The gateway's account is gw1001; passwords are made up per run.
 * Ports: 25000-29999 on 127.0.0.1 only.
 */
@Timeout(90)
class PbxModeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The registrar grants at most this many seconds, so refreshes come every few seconds. */
    private static final int MAX_EXPIRES = 6;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GATEWAY_PASSWORD = secret();
    private static final String PHONE_PASSWORD = secret();

    private static Path dir;
    private static KamailioProcess kamailio;
    private static BaresipProcess phone;

    @AutoClose
    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener inboundListener = new RecordingListener();

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @BeforeAll
    static void startPeers() throws Exception {
        dir = Files.createTempDirectory("opendialer-pbx-test-");
        int kamailioPort = LoopbackPorts.next();
        kamailio = KamailioProcess.start(dir.resolve("kamailio"), kamailioPort,
                Map.of("gw1001", GATEWAY_PASSWORD, "2001", PHONE_PASSWORD), MAX_EXPIRES);
        int rtp = LoopbackPorts.next();
        phone = BaresipProcess.start(dir.resolve("baresip"), "2001", PHONE_PASSWORD, "127.0.0.1:" + kamailioPort,
                LoopbackPorts.next(), LoopbackPorts.next(), rtp + "-" + (rtp + 9));
        // baresip registers as it starts, maybe before the control connection exists: ask the registrar.
        kamailio.awaitLocation(t -> t.contains("AoR: 2001"), WAIT, "baresip's contact");
    }

    @AfterAll
    static void stopPeers() {
        // baresip first: it waits for its un-REGISTER to be answered.
        if (phone != null) {
            phone.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private SipUserAgent startAgent() {
        return startAgent(Duration.ofMillis(500));
    }

    private SipUserAgent startAgent(Duration t1) {
        agent = new SipUserAgent(new SipSettings("127.0.0.1", LoopbackPorts.next(), "127.0.0.1", null, null, null,
                Duration.ofSeconds(30), t1), call -> {
            invites.add(call);
            call.ring();
            return inboundListener;
        });
        agent.start();
        return agent;
    }

    private PbxAccount account(String password, String contactUser) {
        return new PbxAccount(SipSettings.Trunk.parse(kamailio.uri()), "gw1001", null, password, contactUser);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, WAIT);
    }

    private static void await(BooleanSupplier condition, String what, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + wait + ": " + what + "\n" + kamailio.log());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void register_isSeenByKamailio_refreshedBeforeExpiry_andRemovedByStop() throws Exception {
        startAgent();
        String token = "tok" + secret();
        Registration registration = agent.register(account(GATEWAY_PASSWORD, token), r -> { });
        await(() -> registration.state() == RegistrationState.REGISTERED, "REGISTERED");
        assertThat(registration.grantedExpires()).isEqualTo(MAX_EXPIRES);
        kamailio.awaitLocation(t -> t.contains("gw1001") && t.contains("sip:" + token + "@127.0.0.1:"),
                WAIT, "gw1001's contact");

        // Two refreshes within 2 × MAX_EXPIRES: the binding never lapses.
        long start = System.nanoTime();
        await(() -> registration.acceptedCount() >= 3, "two refreshes");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2L * MAX_EXPIRES));
        assertThat(kamailio.locationTable()).contains("sip:" + token + "@127.0.0.1:");

        registration.stop().get(10, TimeUnit.SECONDS);
        assertThat(registration.state()).isEqualTo(RegistrationState.STOPPED);
        kamailio.awaitLocation(t -> !t.contains(token), WAIT, "gw1001's contact removed (Expires: 0)");
    }

    @Test
    void register_withWrongPassword_failsWithCredentialsRejected_andIsNotBound() throws Exception {
        startAgent();
        String token = "tok" + secret();
        Registration registration = agent.register(account("wrong-" + secret(), token), r -> { });
        await(() -> registration.state() == RegistrationState.FAILED, "FAILED");
        assertThat(registration.failure()).startsWith("401").contains("credentials rejected");
        assertThat(kamailio.locationTable()).doesNotContain(token);
    }

    @Test
    void register_whileTheRegistrarIsDown_fails_thenRetriesWithBackoff_andRegistersOverTcpOnceItIsUp()
            throws Exception {
        startAgent(Duration.ofMillis(100)); // Timer F = 64 × T1 = 6.4 s, should the refusal go unnoticed
        int port = LoopbackPorts.next();
        String token = "tok" + secret();
        Registration registration = agent.register(new PbxAccount(
                SipSettings.Trunk.parse("sip:127.0.0.1:" + port + ";transport=tcp"), "gw1001", null,
                GATEWAY_PASSWORD, token), r -> { });
        await(() -> registration.state() == RegistrationState.FAILED, "FAILED while nothing listens");
        assertThat(registration.failure()).containsAnyOf("transport error", "no response", "not sent");

        try (KamailioProcess late = KamailioProcess.start(dir.resolve("kamailio-late"), port,
                Map.of("gw1001", GATEWAY_PASSWORD), 60)) {
            // The first retry comes 5 s after the failure.
            await(() -> registration.state() == RegistrationState.REGISTERED, "REGISTERED after a retry",
                    Duration.ofSeconds(20));
            late.awaitLocation(t -> t.contains("sip:" + token + "@127.0.0.1:") && t.contains("transport=tcp"),
                    WAIT, "the TCP contact");
            registration.stop().get(10, TimeUnit.SECONDS);
            late.awaitLocation(t -> !t.contains(token), WAIT, "the contact removed");
        }
    }

    @Test
    void outboundCall_throughKamailio_isAnsweredByBaresip_andHangUpReachesIt() throws Exception {
        startAgent();
        PbxAccount account = account(GATEWAY_PASSWORD, "tok" + secret());
        RecordingListener listener = new RecordingListener();
        OutboundCall call = agent.placeCallVia(account, "Ada", "2001", agent.localOffer(LoopbackPorts.next()), listener);

        String event = listener.next(WAIT);
        while (event.startsWith("provisional")) {
            event = listener.next(WAIT);
        }
        assertThat(event).isEqualTo("answered");
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
        assertThat(listener.answeredSdp.firstCommonCodec()).isPresent();
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);

        call.hangUp();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        assertThat(call.state()).isEqualTo(CallState.TERMINATED);
    }

    @Test
    void inboundCall_fromBaresip_throughKamailio_reachesTheRegisteredContact() throws Exception {
        startAgent();
        String token = "tok" + secret();
        Registration registration = agent.register(account(GATEWAY_PASSWORD, token), r -> { });
        await(() -> registration.state() == RegistrationState.REGISTERED, "REGISTERED");

        phone.command("dial", "sip:gw1001@127.0.0.1:" + kamailio.port());
        InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).as("INVITE from baresip reached the gateway").isNotNull();
        assertThat(call.requestUser()).isEqualTo(token);
        assertThat(call.identity().from()).isEqualTo("2001");
        call.answer(agent.localAnswer(call.offer(), LoopbackPorts.next()));
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);

        phone.command("hangup", "");
        assertThat(inboundListener.next(WAIT)).isEqualTo("remoteHangup");
        phone.awaitEvent("CALL_CLOSED", WAIT);
        registration.stop().get(10, TimeUnit.SECONDS);
    }
}

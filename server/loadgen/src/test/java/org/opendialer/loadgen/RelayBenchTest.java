package org.opendialer.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator end to end, a few calls for a 2 s window (about 10 s in all). */
class RelayBenchTest {
    @TempDir
    Path logs;

    @Test
    void lossIsWhatWasSentMinusWhatArrivedOverWhatWasSent() {
        RelayBench.Result r = result(2000, 1990, 500, 500);
        assertThat(r.lossB2S()).isEqualTo(0.5);
        assertThat(r.lossS2B()).isZero();
        assertThat(result(0, 0, 1, 1).lossB2S()).isEqualTo(100.0); // nothing sent counts as total loss, not as none
    }

    @Test
    void bencodeRoundTripsWhatTheNgProtocolUses() {
        byte[] b = Bencode.encode(Map.of("command", "offer", "flags", List.of("trust-address"), "n", 5));
        assertThat(new String(b)).isEqualTo("d7:command5:offer5:flagsl13:trust-addresse1:ni5ee");
        assertThat(Bencode.decode(b, 0, b.length)).isEqualTo(Map.of("command", "offer", "flags", List.of("trust-address"), "n", 5L));
    }

    @Test
    void loopWithoutRelayDeliversEveryPacketBothWays() throws Exception {
        RelayBench.Result r = RelayBench.run(new RelayBench.Options("loop", 4, 2, 1, 50, 2, logs), 1);
        assertFlowsBothWays(r, 4);
    }

    @Test
    void threeCallsThroughRtpengine() throws Exception {
        assumeTrue(RtpengineSut.installed(), "rtpengine is not installed (apt-get install -y --no-install-recommends"
                + " rtpengine-daemon rtpengine-utils): skipped");
        RelayBench.Result r = RelayBench.run(new RelayBench.Options("rtpengine", 3, 2, 1, 50, 2, logs), 1);
        assertFlowsBothWays(r, 3);
        assertThat(r.sutCpu()).isPositive();
        assertThat(r.sutRssKib()).isPositive();
        assertThat(r.medianB2S()).isGreaterThan(0); // through another process: never under 1 µs
        assertThat(Files.readString(logs.resolve("relay-bench-rtpengine.log"))).contains("lg-0");
    }

    private static void assertFlowsBothWays(RelayBench.Result r, int calls) {
        assertThat(r.callsUp()).isEqualTo(calls);
        long expected = calls * 50L * r.windowSeconds(); // one packet per call every 20 ms each way
        assertThat(r.sentB2S()).isBetween(expected * 9 / 10, expected * 11 / 10);
        assertThat(r.sentS2B()).isBetween(expected * 9 / 10, expected * 11 / 10);
        // loopback UDP at this rate loses nothing; received can never exceed sent
        assertThat(r.receivedB2S()).isBetween(r.sentB2S() * 99 / 100, r.sentB2S());
        assertThat(r.receivedS2B()).isBetween(r.sentS2B() * 99 / 100, r.sentS2B());
        assertThat(r.lossB2S()).isEqualTo(100.0 * (r.sentB2S() - r.receivedB2S()) / r.sentB2S());
        assertThat(r.srtpErrors()).isZero();
        assertThat(r.p99B2S()).isGreaterThanOrEqualTo(r.medianB2S()).isNotNegative();
    }

    private static RelayBench.Result result(long sentB2S, long receivedB2S, long sentS2B, long receivedS2B) {
        return new RelayBench.Result("x", 1, 1, 1, 0, 0, 1, sentB2S, receivedB2S, sentS2B, receivedS2B, 1, 2, 1, 2,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "", "", "");
    }
}

package org.opendialer.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsWarmUpTest {
    @Test
    void runsTheRequestedHandshakesAgainstTheRealServer() throws Exception {
        List<Duration> durations = DtlsWarmUp.run(new DtlsSrtpServer(DtlsCertificate.generate()), 3);
        assertThat(durations).hasSize(3).allSatisfy(d -> assertThat(d).isPositive());
    }
}

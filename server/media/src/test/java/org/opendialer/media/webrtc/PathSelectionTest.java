package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PathSelectionTest {
    record Path(String name) implements PacketPath {
        @Override
        public void send(byte[] buf, int off, int len) {
        }

        @Override
        public InetSocketAddress address() {
            return InetSocketAddress.createUnresolved(name, 1);
        }
    }

    static final Path UDP = new Path("udp");
    static final Path TCP = new Path("tcp");
    static final Path RELAY = new Path("relay");
    /** Firefox's peer-reflexive priorities in its checks: UDP type preference 110, TCP 109. */
    static final long FF_UDP = (110L << 24) | (255 << 16) | 255;
    static final long FF_TCP = (109L << 24) | (255 << 16) | (6 << 13) | 255;
    static final long S = 1_000_000_000L;

    @Test
    void aggressiveNomination_aLaterNominatedTcpCheckDoesNotTakeTheMediaOffAWorkingUdpPath() {
        PathSelection paths = new PathSelection();
        assertThat(paths.offer(UDP, false, true, FF_UDP, 0)).isEqualTo(UDP);
        assertThat(paths.offer(TCP, true, true, FF_TCP, S / 2)).isEqualTo(UDP);
        assertThat(paths.offer(UDP, false, true, FF_UDP, 5 * S)).isEqualTo(UDP);
        assertThat(paths.offer(TCP, true, true, FF_TCP, 10 * S)).isEqualTo(UDP); // UDP checked 5 s ago: alive
    }

    @Test
    void aNominatedTcpPath_replacesAUdpPathThatWasNeverNominated() {
        PathSelection paths = new PathSelection();
        assertThat(paths.offer(UDP, false, false, FF_UDP, 0)).isEqualTo(UDP); // until nomination
        assertThat(paths.offer(TCP, true, true, FF_TCP, S)).isEqualTo(TCP);
        assertThat(paths.offer(UDP, false, false, FF_UDP, 2 * S)).isEqualTo(TCP);
    }

    @Test
    void aHigherPriorityNomination_moves_andTheFirstTcpThenUdpOrderEndsOnUdp() {
        PathSelection paths = new PathSelection();
        assertThat(paths.offer(TCP, true, true, FF_TCP, 0)).isEqualTo(TCP);
        assertThat(paths.offer(UDP, false, true, FF_UDP, S)).isEqualTo(UDP);
    }

    @Test
    void aPathTheBrowserStoppedCheckingForEightSeconds_givesWayToAnyCheckedPath() {
        PathSelection paths = new PathSelection();
        paths.offer(UDP, false, true, FF_UDP, 0);
        assertThat(paths.offer(TCP, true, false, FF_TCP, PathSelection.STALE_NANOS)).isEqualTo(UDP);
        assertThat(paths.offer(TCP, true, false, FF_TCP, PathSelection.STALE_NANOS + 1)).isEqualTo(TCP);
    }

    @Test
    void afterAnIceRestart_theNextNominationIsTakenWhateverItsPriority() {
        PathSelection paths = new PathSelection();
        paths.offer(UDP, false, true, FF_UDP, 0);
        paths.restarted();
        assertThat(paths.offer(RELAY, false, true, 5L << 24, S)).isEqualTo(RELAY);
        assertThat(paths.offer(TCP, true, true, 2L << 24, 2 * S)).isEqualTo(RELAY); // lower than the relay pair
    }

    @Test
    void pairPriority_followsRfc8445() {
        assertThat(PathSelection.pairPriority(10, 20)).isEqualTo((1L << 32) * 10 + 40);
        assertThat(PathSelection.pairPriority(20, 10)).isEqualTo((1L << 32) * 10 + 40 + 1);
        assertThat(PathSelection.pairPriority(FF_UDP, PathSelection.UDP_PRIORITY))
                .isGreaterThan(PathSelection.pairPriority(FF_TCP, PathSelection.TCP_PRIORITY));
    }
}

package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

class RangeRtpPortAllocatorTest {
    private static int port(DatagramChannel c) throws IOException {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    @Test
    void allocatesEvenPortsInRange_skipsBusyOnes_andFailsWhenFull() throws IOException {
        int base = FreePorts.next() & ~1;
        InetAddress lo = InetAddress.getLoopbackAddress();
        RangeRtpPortAllocator allocator = new RangeRtpPortAllocator(lo, base, base + 4);
        try (DatagramChannel busy = DatagramChannel.open().bind(new InetSocketAddress(lo, base + 2));
             DatagramChannel first = allocator.allocate();
             DatagramChannel second = allocator.allocate()) {
            assertThat(port(first)).isEqualTo(base);
            assertThat(port(second)).isEqualTo(base + 4);
            assertThatThrownBy(allocator::allocate).isInstanceOf(IOException.class).hasMessageContaining("no free RTP port");
        }
    }

    @Test
    void rejectsRangesWithoutEvenPorts() {
        assertThatThrownBy(() -> new RangeRtpPortAllocator(InetAddress.getLoopbackAddress(), 40001, 40001))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

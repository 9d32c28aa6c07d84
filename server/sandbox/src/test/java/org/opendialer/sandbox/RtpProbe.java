package org.opendialer.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The test's own RTP endpoint on loopback: what it receives, with where it came from. */
final class RtpProbe implements AutoCloseable {
    record Packet(byte[] bytes, SocketAddress from, long arrivalNanos) {
        int payloadType() {
            return bytes[1] & 0x7F;
        }

        int sequence() {
            return ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        }

        long timestamp() {
            return ((long) (bytes[4] & 0xFF) << 24 | (bytes[5] & 0xFF) << 16 | (bytes[6] & 0xFF) << 8 | (bytes[7] & 0xFF));
        }

        int ssrc() {
            return (bytes[8] & 0xFF) << 24 | (bytes[9] & 0xFF) << 16 | (bytes[10] & 0xFF) << 8 | (bytes[11] & 0xFF);
        }

        byte[] payload() {
            return Arrays.copyOfRange(bytes, 12, bytes.length);
        }
    }

    private final DatagramChannel channel;

    RtpProbe() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Everything that arrives within {@code window}, or until {@code max} packets. */
    List<Packet> collect(Duration window, int max) throws IOException, InterruptedException {
        List<Packet> packets = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline && packets.size() < max) {
            buffer.clear();
            SocketAddress from = channel.receive(buffer);
            if (from == null) {
                Thread.sleep(2);
                continue;
            }
            buffer.flip();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            packets.add(new Packet(bytes, from, System.nanoTime()));
        }
        return packets;
    }

    void send(byte[] packet, SocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(packet), to);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

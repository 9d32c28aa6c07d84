package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc4571DecoderTest {
    final List<byte[]> frames = new ArrayList<>();
    final Rfc4571Decoder.FrameSink sink = (buf, off, len) -> frames.add(Arrays.copyOfRange(buf, off, off + len));

    static byte[] framed(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            byte[] header = new byte[2];
            Rfc4571Decoder.header(header, 0, p.length);
            out.writeBytes(header);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] packet(int len, int seed) {
        byte[] p = new byte[len];
        new Random(seed).nextBytes(p);
        return p;
    }

    @Test
    void mergedFrames_inOneRead_areEachDelivered() {
        byte[] a = packet(20, 1);
        byte[] b = packet(172, 2);
        byte[] c = packet(1, 3);
        assertThat(new Rfc4571Decoder(2047).feed(framed(a, b, c), 0, 2 + 20 + 2 + 172 + 2 + 1, sink)).isTrue();
        assertThat(frames).containsExactly(a, b, c);
    }

    @Test
    void framesSplitAtEveryByte_includingInsideTheLength_areReassembled() {
        byte[] a = packet(300, 4);
        byte[] b = packet(172, 5);
        byte[] stream = framed(a, b);
        Rfc4571Decoder decoder = new Rfc4571Decoder(2047);
        for (int i = 0; i < stream.length; i++) {
            assertThat(decoder.feed(stream, i, 1, sink)).isTrue();
        }
        assertThat(frames).containsExactly(a, b);
    }

    @Test
    void randomReadBoundaries_deliverTheSamePackets() {
        Random random = new Random(42);
        byte[][] packets = new byte[50][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = packet(1 + random.nextInt(1500), i);
        }
        byte[] stream = framed(packets);
        Rfc4571Decoder decoder = new Rfc4571Decoder(2047);
        int pos = 0;
        while (pos < stream.length) {
            int n = Math.min(stream.length - pos, 1 + random.nextInt(700));
            assertThat(decoder.feed(stream, pos, n, sink)).isTrue();
            pos += n;
        }
        assertThat(frames).containsExactly(packets);
    }

    @Test
    void lengthOverTheLimit_failsTheStream_andEveryLaterRead() {
        Rfc4571Decoder decoder = new Rfc4571Decoder(2047);
        byte[] ok = packet(10, 6);
        byte[] stream = framed(ok);
        assertThat(decoder.feed(stream, 0, stream.length, sink)).isTrue();
        byte[] oversize = {0x08, 0x00, 1, 2, 3}; // 2048 > 2047
        assertThat(decoder.feed(oversize, 0, oversize.length, sink)).isFalse();
        assertThat(decoder.feed(stream, 0, stream.length, sink)).isFalse();
        assertThat(frames).containsExactly(ok);
    }

    @Test
    void garbage_isFramedAsWhatItClaims_orRefusedWhenItClaimsTooMuch() {
        // An HTTP request on the port: "GE" = 0x4745 = 18245 bytes, over the limit.
        byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(new Rfc4571Decoder(2047).feed(http, 0, http.length, sink)).isFalse();
        assertThat(frames).isEmpty();
    }

    @Test
    void emptyFrames_areSkipped() {
        byte[] a = packet(5, 7);
        byte[] stream = new byte[2 + 2 + 5];
        Rfc4571Decoder.header(stream, 2, 5);
        System.arraycopy(a, 0, stream, 4, 5);
        assertThat(new Rfc4571Decoder(2047).feed(stream, 0, stream.length, sink)).isTrue();
        assertThat(frames).containsExactly(a);
    }

    @Test
    void header_refusesLengthsThatDoNotFit() {
        assertThatThrownBy(() -> Rfc4571Decoder.header(new byte[2], 0, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc4571Decoder.header(new byte[2], 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

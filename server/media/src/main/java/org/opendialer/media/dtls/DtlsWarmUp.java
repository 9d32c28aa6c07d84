package org.opendialer.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.srtp.SrtpException;

/**
 * Runs in-process DTLS-SRTP handshakes and SRTP round trips at start-up. On a cold JVM the
 * first browser handshake took ~1 s and the first decrypted packet ~3.7 s; after two warm-up
 * handshakes the handshake took 25–90 ms (TESTING.md). Call once before opening the port.
 */
public final class DtlsWarmUp {
    private DtlsWarmUp() {
    }

    /** Returns the duration of each handshake, first (coldest) first. */
    public static List<Duration> run(DtlsSrtpServer server, int handshakes) throws IOException {
        DtlsCertificate clientCertificate = DtlsCertificate.generate();
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dtls-warm-up");
            t.setDaemon(true);
            return t;
        });
        List<Duration> durations = new ArrayList<>();
        try {
            for (int i = 0; i < handshakes; i++) {
                QueuedDatagramTransport[] ends = new QueuedDatagramTransport[2];
                ends[0] = new QueuedDatagramTransport((b, o, l) -> ends[1].offer(b, o, l), 64);
                ends[1] = new QueuedDatagramTransport((b, o, l) -> ends[0].offer(b, o, l), 64);
                long start = System.nanoTime();
                Future<DtlsSrtpSession> accepted = executor.submit(
                        () -> server.accept(ends[0], "sha-256 " + clientCertificate.fingerprint()));
                new DTLSClientProtocol().connect(new WarmUpTlsClient(crypto, clientCertificate), ends[1]);
                DtlsSrtpSession session = accepted.get(30, TimeUnit.SECONDS);
                durations.add(Duration.ofNanos(System.nanoTime() - start));
                exerciseSrtp(session.keys());
                ends[0].close();
                ends[1].close();
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("warm-up handshake failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during warm-up", e);
        } finally {
            executor.shutdownNow();
        }
        return durations;
    }

    private static void exerciseSrtp(SrtpKeyMaterial keys) throws IOException {
        SrtpContext send = keys.clientSendContext();
        SrtpContext receive = keys.serverReceiveContext();
        byte[] rtp = new byte[172];
        rtp[0] = (byte) 0x80;
        try {
            for (int seq = 0; seq < 2000; seq++) {
                rtp[2] = (byte) (seq >>> 8);
                rtp[3] = (byte) seq;
                byte[] srtp = send.protectRtp(rtp, 0, rtp.length);
                receive.unprotectRtp(srtp, 0, srtp.length);
            }
        } catch (SrtpException e) {
            throw new IOException("warm-up SRTP round trip failed", e);
        }
    }
}

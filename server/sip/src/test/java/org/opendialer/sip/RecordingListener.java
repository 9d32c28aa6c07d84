package org.opendialer.sip;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records call events as strings ("provisional 180", "answered", "failed BUSY 486", ...) for tests. */
final class RecordingListener implements CallListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile AudioSdp answeredSdp;
    volatile AudioSdp reInviteSdp;
    volatile String failurePhrase;

    @Override
    public void provisional(int status, AudioSdp earlyMedia) {
        events.add("provisional " + status);
    }

    @Override
    public void answered(AudioSdp remote) {
        answeredSdp = remote;
        events.add("answered");
    }

    @Override
    public void failed(EndReason reason, int status, String reasonPhrase) {
        failurePhrase = reasonPhrase;
        events.add("failed " + reason + " " + status);
    }

    @Override
    public void remoteHangup() {
        events.add("remoteHangup");
    }

    @Override
    public void sessionExpired() {
        events.add("sessionExpired");
    }

    @Override
    public void reInvited(AudioSdp remote) {
        reInviteSdp = remote;
        events.add("reInvited " + remote.direction());
    }

    /** The next event, failing the test when none comes within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no call event within " + timeout);
        }
        return e;
    }

    /** Skips provisional events and returns the first other one. */
    String nextFinal(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!e.startsWith("provisional")) {
                return e;
            }
        }
    }
}

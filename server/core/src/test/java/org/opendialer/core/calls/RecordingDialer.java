package org.opendialer.core.calls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A dialer that records every call state it is sent, and waits for one. */
final class RecordingDialer implements Dialer {
    private final long userId;
    private final String device;
    private final List<CallView> received = new ArrayList<>();
    private final List<String> mediaMoved = new ArrayList<>();
    private final List<String> transferFailures = new ArrayList<>();

    RecordingDialer(long userId) {
        this(userId, null);
    }

    /** A dialer of browser profile {@code device} (protocol.md part 5), or of its own when null. */
    RecordingDialer(long userId, String device) {
        this.userId = userId;
        this.device = device;
    }

    @Override
    public String device() {
        return device;
    }

    private final List<String> progress = new ArrayList<>();

    @Override
    public synchronized void callProgress(String callId, boolean earlyMedia) {
        progress.add(earlyMedia ? "early_media" : "ringing");
        notifyAll();
    }

    /** The callProgress events seen, in order: "ringing" (play a local ringback) or "early_media". */
    synchronized List<String> progress() {
        return List.copyOf(progress);
    }

    @Override
    public synchronized void mediaMoved(String callId) {
        mediaMoved.add(callId);
    }

    @Override
    public synchronized void transferFailed(String callId, EndReason reason) {
        transferFailures.add(callId + "/" + reason.wire());
        notifyAll();
    }

    /** "callId/reason" of each failed transfer this dialer was told of, waiting up to {@code timeout} for one. */
    synchronized List<String> awaitTransferFailures(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (transferFailures.isEmpty() && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return List.copyOf(transferFailures);
    }

    /** The calls whose audio another dialer took from this one, in order. */
    synchronized List<String> mediaMoved() {
        return List.copyOf(mediaMoved);
    }

    @Override
    public long userId() {
        return userId;
    }

    @Override
    public synchronized void deliver(CallView call) {
        received.add(call);
        notifyAll();
    }

    synchronized List<CallView> received() {
        return List.copyOf(received);
    }

    /** Waits until some received view matches, and returns it. */
    synchronized CallView await(Predicate<CallView> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (CallView v : received) {
                if (p.test(v)) {
                    return v;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching call state within " + timeout + "; got " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    CallView awaitEnd(Duration timeout) throws InterruptedException {
        return await(v -> v.state() == CallState.DISCONNECTED, timeout);
    }

    /** "state/end_reason" of each view, in order: the sequence a dialer saw. */
    synchronized List<String> states() {
        return received.stream()
                .map(v -> v.state().wire() + (v.endReason() == null ? "" : "/" + v.endReason().wire())).toList();
    }
}

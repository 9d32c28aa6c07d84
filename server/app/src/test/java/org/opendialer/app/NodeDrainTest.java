package org.opendialer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NodeDrainTest {

    /** A node with {@code calls} live calls, all of user 7, recording what draining asked of it. */
    static final class FakeNode implements NodeDrain.Node {
        final AtomicInteger calls;
        final List<String> log = new ArrayList<>();
        volatile Set<Long> lastKeep;
        final List<Set<Long>> releases = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger open = new AtomicInteger();

        FakeNode(int calls) {
            this.calls = new AtomicInteger(calls);
        }

        @Override
        public synchronized void stopTakingCalls() {
            log.add("stop");
        }

        @Override
        public int liveCalls() {
            return calls.get();
        }

        @Override
        public Set<Long> usersWithLiveCalls() {
            return calls.get() > 0 ? Set.of(7L) : Set.of();
        }

        @Override
        public int releaseDialersBut(Set<Long> keep) {
            lastKeep = keep;
            releases.add(keep);
            if (keep.isEmpty()) {
                open.set(0);
            }
            return 0;
        }

        @Override
        public int openDialers() {
            return open.get();
        }
    }

    @Test
    void withoutCalls_stopsTakingCalls_releasesEveryDialer_andExitsAtOnce() {
        FakeNode node = new FakeNode(0);
        node.open.set(3);
        AtomicInteger exits = new AtomicInteger();
        AtomicInteger openAtExit = new AtomicInteger(-1);

        new NodeDrain(node, Duration.ofMinutes(10), () -> {
            openAtExit.set(node.open.get());
            exits.incrementAndGet();
        }).run();

        assertThat(node.log).containsExactly("stop");
        assertThat(node.releases).as("every dialer is told to reconnect before the exit").contains(Set.of());
        assertThat(openAtExit).hasValue(0);
        assertThat(exits).hasValue(1);
    }

    @Test
    void withALiveCall_waitsForItToEnd_releasingOtherDialers_thenExits() throws Exception {
        FakeNode node = new FakeNode(1);
        CountDownLatch exited = new CountDownLatch(1);
        NodeDrain drain = new NodeDrain(node, Duration.ofMinutes(10), exited::countDown);

        drain.signal();
        assertThat(exited.await(1, TimeUnit.SECONDS)).as("exited while a call was up").isFalse();
        assertThat(node.log).containsExactly("stop");
        assertThat(node.lastKeep).containsExactly(7L);

        node.calls.set(0);
        assertThat(exited.await(10, TimeUnit.SECONDS)).as("exits once the call ended").isTrue();
        assertThat(node.releases.get(node.releases.size() - 1)).as("the last release keeps no one").isEmpty();
    }

    @Test
    void atTheBound_exitsWithTheCallsStillUp() {
        FakeNode node = new FakeNode(2);
        AtomicLong now = new AtomicLong(0);
        AtomicInteger exits = new AtomicInteger();
        NodeDrain drain = new NodeDrain(node, Duration.ofSeconds(30), exits::incrementAndGet,
                () -> now.addAndGet(Duration.ofSeconds(10).toNanos())); // each look at the clock: 10 s later

        drain.run();

        assertThat(exits).hasValue(1);
        assertThat(node.calls).hasValue(2);
    }

    @Test
    void aSecondSignal_exitsAtOnceWhileCallsAreUp() throws Exception {
        FakeNode node = new FakeNode(1);
        CountDownLatch exited = new CountDownLatch(1);
        NodeDrain drain = new NodeDrain(node, Duration.ofMinutes(10), exited::countDown);

        drain.signal();
        assertThat(exited.await(500, TimeUnit.MILLISECONDS)).isFalse();
        drain.signal();

        assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(node.calls).hasValue(1);
        node.calls.set(0); // lets the drain thread finish
    }
}

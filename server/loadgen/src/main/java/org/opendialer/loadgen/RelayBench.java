package org.opendialer.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Relay capacity benchmark: N concurrent bridged calls through a relay in its own process (ours:
 * {@link RelayServerMain}; or rtpengine), or through no relay at all ("loop": the latency
 * baseline). See docs/benchmarks.md "Relay capacity" for the method.
 *
 * <pre>
 * java -jar server/loadgen/target/opendialer-loadgen.jar --systems loop,ours,rtpengine \
 *      --calls 100,500,1000 --reps 3 --window 10 --out /tmp/relay.jsonl
 * </pre>
 */
public final class RelayBench {
    /** Port plan (all in 40000–49999): control, relay WebRTC port, SIP-side socket, relay RTP ports, browsers. */
    static final int NG_PORT = 40000;
    static final int WEBRTC_PORT = 40001;
    static final int SIP_PORT = 40002;
    static final int RELAY_PORT_MIN = 40010;
    static final int RELAY_PORT_MAX = 47999;
    static final int BROWSER_PORT_BASE = 48000;
    static final int MAX_CALLS = 2000;

    /** Options of one run. */
    record Options(String system, int calls, int windowSeconds, int settleSeconds, int batch, int handshakeThreads, Path logDir) {
    }

    /** What one run measured. Latencies in µs; loss in percent; CPU in percent of one core. */
    record Result(String system, int calls, int rep, int callsUp, int setupFailures, double rampSeconds,
            int windowSeconds, long sentB2S, long receivedB2S, long sentS2B, long receivedS2B,
            long medianB2S, long p99B2S, long medianS2B, long p99S2B,
            double sutCpu, double sutUserCpu, double sutSystemCpu, long sutRssKib,
            double loadgenCpu, long lateSlots, long maxLateMicros, long resyncs, double handshakeMedianMs, long srtpErrors, long unknownPackets,
            long stunAnswered, long relayKernelDrops, long loadgenKernelDrops, String relayStatsBefore, String relayStatsAfter,
            String loadAverageAtStart, String startedAt) {

        double lossB2S() {
            return sentB2S == 0 ? 100 : 100.0 * (sentB2S - receivedB2S) / sentB2S;
        }

        double lossS2B() {
            return sentS2B == 0 ? 100 : 100.0 * (sentS2B - receivedS2B) / sentS2B;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"system\":\"%s\",\"calls\":%d,\"rep\":%d,\"callsUp\":%d,\"setupFailures\":%d,"
                    + "\"rampSeconds\":%.2f,\"windowSeconds\":%d,\"sentB2S\":%d,\"receivedB2S\":%d,\"sentS2B\":%d,\"receivedS2B\":%d,"
                    + "\"lossB2S\":%.4f,\"lossS2B\":%.4f,\"medianB2S\":%d,\"p99B2S\":%d,\"medianS2B\":%d,\"p99S2B\":%d,"
                    + "\"sutCpu\":%.1f,\"sutUserCpu\":%.1f,\"sutSystemCpu\":%.1f,\"sutRssKib\":%d,\"loadgenCpu\":%.1f,"
                    + "\"lateSlots\":%d,\"maxLateMicros\":%d,\"resyncs\":%d,\"handshakeMedianMs\":%.1f,\"srtpErrors\":%d,\"unknownPackets\":%d,\"stunAnswered\":%d,"
                    + "\"relayKernelDrops\":%d,\"loadgenKernelDrops\":%d,"
                    + "\"relayStatsBefore\":\"%s\",\"relayStatsAfter\":\"%s\",\"loadAverageAtStart\":\"%s\",\"startedAt\":\"%s\"}",
                    system, calls, rep, callsUp, setupFailures, rampSeconds, windowSeconds, sentB2S, receivedB2S, sentS2B,
                    receivedS2B, lossB2S(), lossS2B(), medianB2S, p99B2S, medianS2B, p99S2B, sutCpu, sutUserCpu,
                    sutSystemCpu, sutRssKib, loadgenCpu, lateSlots, maxLateMicros, resyncs, handshakeMedianMs, srtpErrors, unknownPackets,
                    stunAnswered, relayKernelDrops, loadgenKernelDrops, relayStatsBefore, relayStatsAfter, loadAverageAtStart, startedAt);
        }

        String line() {
            return String.format(Locale.ROOT, "%-9s N=%-5d rep %d: up %d/%d (ramp %.1fs), loss b→s %.3f%% s→b %.3f%%, "
                    + "latency b→s %d/%d µs s→b %d/%d µs (median/p99), relay CPU %.1f%% (user %.1f sys %.1f) RSS %d MiB, "
                    + "loadgen CPU %.1f%%, late slots %d (max %d µs, resyncs %d), handshake median %.0f ms, srtp errors %d, other %d, STUN answered %d, receive-buffer drops relay %d loadgen %d%s",
                    system, calls, rep, callsUp, calls, rampSeconds, lossB2S(), lossS2B(), medianB2S, p99B2S, medianS2B,
                    p99S2B, sutCpu, sutUserCpu, sutSystemCpu, sutRssKib / 1024, loadgenCpu, lateSlots, maxLateMicros, resyncs, handshakeMedianMs,
                    srtpErrors, unknownPackets, stunAnswered, relayKernelDrops, loadgenKernelDrops,
                    relayStatsAfter.isEmpty() ? "" : ", relay's stats " + relayStatsBefore + " → " + relayStatsAfter);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> systems = List.of("ours", "rtpengine", "loop");
        List<Integer> calls = List.of(100, 500, 1000, 2000);
        int reps = 3;
        int window = 10;
        int settle = 5;
        int batch = 50;
        int threads = 2;
        double stopLoss = 5.0;
        Path out = null;
        Path logDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--systems" -> {
                    // the loop baseline always runs last at each N
                    List<String> given = List.of(args[++i].split(","));
                    systems = new ArrayList<>(given.stream().filter(x -> !x.equals("loop")).toList());
                    if (given.contains("loop")) {
                        systems.add("loop");
                    }
                }
                case "--calls" -> calls = parseInts(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--settle" -> settle = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--handshake-threads" -> threads = Integer.parseInt(args[++i]);
                case "--stop-loss" -> stopLoss = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--log-dir" -> logDir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--systems loop,ours,rtpengine --calls 100,500 --reps 3 --window 10 --settle 5 --batch 50"
                        + " --handshake-threads 2 --stop-loss 5 --out results.jsonl --log-dir DIR)");
            }
        }
        if (systems.contains("rtpengine") && !RtpengineSut.installed()) {
            System.err.println("rtpengine is not installed (" + RtpengineSut.BINARY + "): skipping it."
                    + " apt-get install -y --no-install-recommends rtpengine-daemon rtpengine-utils");
            systems = systems.stream().filter(s -> !s.equals("rtpengine")).toList();
        }
        System.out.println("# relay bench " + Instant.now() + ", load average " + Processes.loadAverage()
                + ", systems " + systems + ", calls " + calls + ", reps " + reps + ", window " + window + " s");
        // N values above the first one at which a system loses more than stopLoss % (or fails calls) are
        // skipped for it; decided in the first repetition so that every repetition measures the same N values
        int[] maxCalls = new int[systems.size()];
        java.util.Arrays.fill(maxCalls, Integer.MAX_VALUE);
        for (int rep = 1; rep <= reps; rep++) {
            for (int n : calls) {
                boolean relayed = false;
                for (int s = 0; s < systems.size(); s++) {
                    boolean isLoop = systems.get(s).equals("loop");
                    // the baseline runs after the relays at each N, and only at the N values some relay still runs
                    if (n > maxCalls[s] || (isLoop && !relayed && systems.size() > 1)) {
                        continue;
                    }
                    relayed |= !isLoop;
                    Result r = run(new Options(systems.get(s), n, window, settle, batch, threads, logDir), rep);
                    System.out.println(r.line());
                    if (out != null) {
                        Files.writeString(out, r.json() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    if (rep == 1 && !systems.get(s).equals("loop")
                            && (r.lossB2S() > stopLoss || r.lossS2B() > stopLoss || r.callsUp() < n)) {
                        maxCalls[s] = n;
                        System.out.println("# " + systems.get(s) + ": more than " + stopLoss
                                + " % loss (or failed calls) at N=" + n + "; no larger N for it");
                    }
                }
            }
        }
    }

    static List<Integer> parseInts(String csv) {
        List<Integer> list = new ArrayList<>();
        for (String s : csv.split(",")) {
            list.add(Integer.parseInt(s.trim()));
        }
        return list;
    }

    /** One run: a fresh relay process, N calls ramped up in batches, a measuring window, then everything stopped. */
    static Result run(Options o, int rep) throws Exception {
        if (o.calls() > MAX_CALLS) {
            throw new IllegalArgumentException("at most " + MAX_CALLS + " calls (browser ports " + BROWSER_PORT_BASE + "+)");
        }
        String loadAtStart = Processes.loadAverage();
        String startedAt = Instant.now().toString();
        BrowserCertificate cert = BrowserCertificate.generate();
        SystemUnderTest sut = switch (o.system()) {
            case "loop" -> null;
            case "rtpengine" -> new RtpengineSut(NG_PORT, RELAY_PORT_MIN, RELAY_PORT_MAX, o.logDir().resolve("relay-bench-rtpengine.log"));
            case "ours" -> new OurRelaySut(WEBRTC_PORT, RELAY_PORT_MIN, RELAY_PORT_MAX, o.logDir().resolve("relay-bench-ours.log"));
            default -> throw new IllegalArgumentException("unknown system " + o.system());
        };
        boolean loop = sut == null;
        List<SimCall> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(o.handshakeThreads());
        int failures = 0;
        try (MediaEngine engine = new MediaEngine(o.calls(), new InetSocketAddress("127.0.0.1", SIP_PORT), loop)) {
            InetSocketAddress sipAddress = engine.sipAddress();
            long rampStart = System.nanoTime();
            for (int first = 0; first < o.calls(); first += o.batch()) {
                List<SimCall> batch = new ArrayList<>();
                for (int id = first; id < Math.min(o.calls(), first + o.batch()); id++) {
                    SimCall c = new SimCall(id, BROWSER_PORT_BASE + id);
                    calls.add(c);
                    if (loop) {
                        c.loopKeys();
                        c.relayRtp = c.browserAddress;
                        c.browser.connect(sipAddress);
                        c.browser.configureBlocking(false);
                        engine.add(c);
                        continue;
                    }
                    try {
                        SystemUnderTest.Leg leg = sut.setup(id, c.offer(cert), sipAddress);
                        c.relayRtp = leg.relayRtp();
                        c.answer(leg.browserAnswer());
                        batch.add(c);
                    } catch (IOException | RuntimeException e) {
                        c.failure = "setup: " + e.getMessage();
                    }
                }
                List<Future<?>> handshakes = new ArrayList<>();
                for (SimCall c : batch) {
                    handshakes.add(pool.submit(() -> {
                        c.connect(cert);
                        engine.add(c);
                        return null;
                    }));
                }
                for (int k = 0; k < handshakes.size(); k++) {
                    try {
                        handshakes.get(k).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        batch.get(k).failure = "handshake: " + e;
                    }
                }
            }
            double ramp = (System.nanoTime() - rampStart) / 1e9;
            for (SimCall c : calls) {
                if (c.failure != null) {
                    failures++;
                    if (failures <= 3) {
                        System.err.println("call " + c.id + " failed: " + c.failure);
                    }
                }
            }
            Thread.sleep(o.settleSeconds() * 1000L); // let the last batch's streams (and the relay's JIT) settle before measuring
            long self = ProcessHandle.current().pid();
            long pid = loop ? self : sut.pid();
            // the window is published before it opens, so that sender and receivers agree on every packet
            long start = System.nanoTime() + 200_000_000L;
            long end = start + o.windowSeconds() * 1_000_000_000L;
            engine.window(start, end);
            sleepUntil(start);
            String stats0 = loop ? "" : sut.stats();
            long[] drops0 = Processes.udpDrops(RelayBench::relayPort, RelayBench::loadgenPort);
            long[] sut0 = Processes.cpuTicks(pid);
            long[] self0 = Processes.cpuTicks(self);
            sleepUntil(end);
            long[] sut1 = Processes.cpuTicks(pid);
            long[] self1 = Processes.cpuTicks(self);
            double seconds = o.windowSeconds();
            long rss = Processes.rssKib(pid);
            Thread.sleep(1000); // packets sent at the end of the window are still on their way
            long[] drops1 = Processes.udpDrops(RelayBench::relayPort, RelayBench::loadgenPort);
            String stats1 = loop ? "" : sut.stats();
            engine.close();
            double ticks = Processes.CLOCK_TICKS * seconds / 100.0; // ticks per 1 % of one core
            double user = loop ? 0 : (sut1[0] - sut0[0]) / ticks;
            double sys = loop ? 0 : (sut1[1] - sut0[1]) / ticks;
            System.err.println("  " + o.system() + " N=" + o.calls() + ": calls with loss / with all lost: b→s "
                    + MediaEngine.lossSpread(engine.sentB2S, engine.receivedB2S) + ", s→b "
                    + MediaEngine.lossSpread(engine.sentS2B, engine.receivedS2B) + "; unsent (send buffer full) " + engine.unsent
                    + ", send errors " + engine.sendErrors);
            double loadgen = (self1[0] + self1[1] - self0[0] - self0[1]) / ticks;
            return new Result(o.system(), o.calls(), rep, o.calls() - failures, failures, ramp, o.windowSeconds(),
                    sum(engine.sentB2S), sum(engine.receivedB2S), sum(engine.sentS2B), sum(engine.receivedS2B),
                    engine.latencyB2S.percentileMicros(50), engine.latencyB2S.percentileMicros(99),
                    engine.latencyS2B.percentileMicros(50), engine.latencyS2B.percentileMicros(99),
                    user + sys, user, sys, loop ? 0 : rss, loadgen, engine.lateSlots, engine.maxLateNanos / 1000,
                    engine.resyncs, handshakeMedianMs(calls),
                    engine.srtpErrors, engine.unknownPackets, engine.stunAnswered,
                    drops1[0] - drops0[0], drops1[1] - drops0[1], stats0, stats1, loadAtStart, startedAt);
        } finally {
            pool.shutdownNow();
            for (SimCall c : calls) {
                c.close();
            }
            if (sut != null) {
                sut.close();
            }
        }
    }

    static boolean relayPort(int port) {
        return port == WEBRTC_PORT || (port >= RELAY_PORT_MIN && port <= RELAY_PORT_MAX);
    }

    static boolean loadgenPort(int port) {
        return port == SIP_PORT || (port >= BROWSER_PORT_BASE && port < BROWSER_PORT_BASE + MAX_CALLS);
    }

    private static double handshakeMedianMs(List<SimCall> calls) {
        long[] t = calls.stream().filter(c -> c.handshakeNanos > 0).mapToLong(c -> c.handshakeNanos).sorted().toArray();
        return t.length == 0 ? 0 : t[(t.length - 1) / 2] / 1e6;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000L));
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    static void print(PrintStream out, Result r) {
        out.println(r.line());
    }
}

package org.opendialer.sip;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Finds the servers of the trunk as RFC 3263 4 says a SIP client does: NAPTR (services SIP+D2U, SIP+D2T; a TLS
 * trunk SIPS+D2T), then SRV ({@code _sip._udp}, {@code _sip._tcp}; {@code _sips._tcp}) ordered by priority and
 * weight (RFC 2782), then A/AAAA of each target. A name with a port is looked up for A/AAAA only, a name with a transport for SRV of that transport.
 * The answer is kept for the smallest TTL among the records used and looked up again after that. Lookups are
 * asynchronous and bounded by {@link TrunkDns#lookupTimeout()}: a name that does not resolve fails the future
 * with a {@link SipAgentException} (reason UNRESOLVABLE) that says why.
 */
public final class TrunkLocator {
    private static final System.Logger LOG = System.getLogger(TrunkLocator.class.getName());
    /** One day: a larger TTL is not believed. */
    private static final long MAX_TTL_S = 86_400;

    /** One server to send to: an address, a port and a transport. */
    public record Target(InetAddress address, int port, String transport) {
        public String host() {
            return address.getHostAddress();
        }

        @Override
        public String toString() {
            return host() + ":" + port + "/" + transport;
        }
    }

    private record Located(List<Target> targets, long expiresAtNanos) {}

    private final SipSettings.Trunk trunk;
    private final LookupSession session;
    private final Duration timeout;
    private final LongSupplier nanos;
    private final Random random;
    /** The one target of an address literal: no DNS, never expires. */
    private final List<Target> fixed;
    private volatile Located cached;
    private CompletableFuture<List<Target>> pending;

    public TrunkLocator(SipSettings.Trunk trunk, TrunkDns dns) {
        this(trunk, dns, System::nanoTime, new Random());
    }

    TrunkLocator(SipSettings.Trunk trunk, TrunkDns dns, LongSupplier nanos, Random random) {
        this.trunk = trunk;
        this.timeout = dns.lookupTimeout();
        this.nanos = nanos;
        this.random = random;
        this.session = trunk.isAddressLiteral() ? null : session(dns);
        this.fixed = session != null ? null
                : List.of(new Target(literal(trunk.host()), trunk.port(), trunk.transport()));
    }

    private static LookupSession session(TrunkDns dns) {
        Resolver resolver;
        LookupSession.LookupSessionBuilder builder = LookupSession.builder().clearCaches();
        if (dns.server() == null) {
            resolver = new ExtendedResolver();
            builder.defaultHostsFileParser().searchPath(ResolverConfig.getCurrentConfig().searchPath());
        } else {
            SimpleResolver simple = new SimpleResolver(dns.server());
            resolver = simple;
        }
        // A query that goes unanswered is given up after a third of the bound; locate() bounds the whole chain.
        resolver.setTimeout(dns.lookupTimeout().dividedBy(3));
        return builder.resolver(resolver).build();
    }

    /** {@code listener} is told every new answer (the gateway trusts INVITEs from the servers found). */
    void onAnswer(java.util.function.Consumer<List<Target>> listener) {
        this.answerListener = listener;
    }

    private volatile java.util.function.Consumer<List<Target>> answerListener = t -> { };

    public SipSettings.Trunk trunk() {
        return trunk;
    }

    /** The targets of the last lookup while its TTL lasts, else null. */
    public List<Target> cachedTargets() {
        if (fixed != null) {
            return fixed;
        }
        Located c = cached;
        return c != null && nanos.getAsLong() - c.expiresAtNanos < 0 ? c.targets : null;
    }

    /** The trunk's targets in the order to try them; from the last answer while its TTL lasts. */
    public synchronized CompletableFuture<List<Target>> locate() {
        List<Target> fresh = cachedTargets();
        if (fresh != null) {
            return CompletableFuture.completedFuture(fresh);
        }
        if (pending != null) {
            return pending; // one lookup at a time; callers meanwhile share it
        }
        CompletableFuture<List<Target>> lookup = lookUp().toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((answer, error) -> {
                    synchronized (this) {
                        pending = null;
                        if (error != null) {
                            throw new CompletionException(unresolvable(error));
                        }
                        long ttl = Math.min(Math.max(0, answer.ttl), MAX_TTL_S);
                        cached = new Located(answer.targets, nanos.getAsLong() + TimeUnit.SECONDS.toNanos(ttl));
                        LOG.log(System.Logger.Level.INFO, "trunk {0} located: {1} (TTL {2} s)", trunk.host(),
                                answer.targets, String.valueOf(ttl));
                        answerListener.accept(answer.targets);
                        return answer.targets;
                    }
                });
        pending = lookup;
        return lookup;
    }

    private SipAgentException unresolvable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String why = cause instanceof java.util.concurrent.TimeoutException ? "no DNS answer within "
                + timeout.toMillis() + " ms" : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new SipAgentException(SipAgentException.Reason.UNRESOLVABLE,
                "trunk host " + trunk.host() + " does not resolve: " + why);
    }

    /** Targets with the smallest TTL seen. */
    private record Answer(List<Target> targets, long ttl) {
        static Answer empty() {
            return new Answer(List.of(), MAX_TTL_S);
        }

        Answer plus(Answer more) {
            List<Target> all = new ArrayList<>(targets);
            all.addAll(more.targets);
            return new Answer(all, Math.min(ttl, more.ttl));
        }
    }

    private java.util.concurrent.CompletionStage<Answer> lookUp() {
        Name name;
        try {
            name = Name.fromString(trunk.host(), Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(e);
        }
        return switch (trunk.lookup()) {
            case ADDRESS, NONE -> addresses(name, trunk.port(), trunk.transport(), MAX_TTL_S)
                    .thenApply(a -> requireSome(a, "no A or AAAA record"));
            case SRV -> srv(name, trunk.transport(), MAX_TTL_S).thenCompose(a -> a.targets.isEmpty()
                    ? addresses(name, trunk.port(), trunk.transport(), a.ttl) : CompletableFuture.completedFuture(a))
                    .thenApply(a -> requireSome(a, "no SRV, A or AAAA record"));
            case NAPTR -> naptr(name).thenCompose(a -> a.targets.isEmpty() ? srvThenAddresses(name)
                    : CompletableFuture.completedFuture(a))
                    .thenApply(a -> requireSome(a, "no NAPTR, SRV, A or AAAA record"));
        };
    }

    private static Answer requireSome(Answer a, String what) {
        if (a.targets.isEmpty()) {
            throw new CompletionException(new IllegalStateException(what));
        }
        return a;
    }

    /**
     * RFC 3263 4.1 without usable NAPTR: SRV for UDP, then TCP; without SRV, A/AAAA on 5060 over UDP. A TLS trunk:
     * {@code _sips._tcp}, then A/AAAA on 5061.
     */
    private java.util.concurrent.CompletionStage<Answer> srvThenAddresses(Name name) {
        if (trunk.isTls()) {
            return srv(name, "tls", MAX_TTL_S).thenCompose(a -> a.targets.isEmpty()
                    ? addresses(name, trunk.port(), "tls", a.ttl) : CompletableFuture.completedFuture(a));
        }
        return srv(name, "udp", MAX_TTL_S)
                .thenCompose(udp -> srv(name, "tcp", udp.ttl).thenApply(udp::plus))
                .thenCompose(a -> a.targets.isEmpty() ? addresses(name, 5060, "udp", a.ttl)
                        : CompletableFuture.completedFuture(a));
    }

    /** NAPTR records for SIP over UDP or TCP (the transports we have), by order then preference; each an SRV name. */
    private java.util.concurrent.CompletionStage<Answer> naptr(Name name) {
        return query(name, Type.NAPTR).thenCompose(records -> {
            List<NAPTRRecord> usable = new ArrayList<>();
            long ttl = MAX_TTL_S;
            for (Record r : records) {
                if (r instanceof NAPTRRecord n && n.getFlags().equalsIgnoreCase("s") && transportOf(n) != null
                        && transportOf(n).equals("tls") == trunk.isTls()) {
                    usable.add(n);
                    ttl = Math.min(ttl, n.getTTL());
                }
            }
            usable.sort(Comparator.comparingInt(NAPTRRecord::getOrder).thenComparingInt(NAPTRRecord::getPreference));
            java.util.concurrent.CompletionStage<Answer> all = CompletableFuture.completedFuture(
                    new Answer(List.of(), ttl));
            for (NAPTRRecord n : usable) {
                all = all.thenCompose(a -> srvRecords(n.getReplacement(), transportOf(n), a.ttl).thenApply(a::plus));
            }
            return all;
        });
    }

    /** A TLS trunk (sips:, transport=tls) uses SIPS+D2T only; any other uses SIP+D2U and SIP+D2T. */
    private static String transportOf(NAPTRRecord n) {
        return switch (n.getService().toUpperCase(Locale.ROOT)) {
            case "SIP+D2U" -> "udp";
            case "SIP+D2T" -> "tcp";
            case "SIPS+D2T" -> "tls";
            default -> null; // SCTP: a transport we do not offer
        };
    }

    private java.util.concurrent.CompletionStage<Answer> srv(Name domain, String transport, long ttlSoFar) {
        Name srvName;
        try {
            srvName = Name.concatenate(Name.fromConstantString(transport.equals("tls") ? "_sips._tcp" : "_sip._" + transport),
                    domain);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return CompletableFuture.completedFuture(Answer.empty());
        }
        return srvRecords(srvName, transport, ttlSoFar);
    }

    private java.util.concurrent.CompletionStage<Answer> srvRecords(Name srvName, String transport, long ttlSoFar) {
        return query(srvName, Type.SRV).thenCompose(records -> {
            List<SRVRecord> srvs = new ArrayList<>();
            long ttl = ttlSoFar;
            for (Record r : records) {
                if (r instanceof SRVRecord s && !s.getTarget().equals(Name.root)) { // "." means: no service here
                    srvs.add(s);
                    ttl = Math.min(ttl, s.getTTL());
                }
            }
            java.util.concurrent.CompletionStage<Answer> all = CompletableFuture.completedFuture(
                    new Answer(List.of(), ttl));
            for (SRVRecord s : order(srvs, random)) {
                all = all.thenCompose(a -> addresses(s.getTarget(), s.getPort(), transport, a.ttl)
                        .thenApply(a::plus));
            }
            return all;
        });
    }

    private java.util.concurrent.CompletionStage<Answer> addresses(Name host, int port, String transport, long ttlSoFar) {
        return query(host, Type.A).thenCombine(query(host, Type.AAAA), (v4, v6) -> {
            List<Target> targets = new ArrayList<>();
            long ttl = ttlSoFar;
            for (Record r : concat(v4, v6)) {
                InetAddress address = r instanceof ARecord a ? a.getAddress()
                        : r instanceof AAAARecord a6 ? a6.getAddress() : null;
                if (address != null) {
                    targets.add(new Target(address, port, transport));
                    ttl = Math.min(ttl, r.getTTL());
                }
            }
            return new Answer(targets, ttl);
        });
    }

    private static List<Record> concat(List<Record> a, List<Record> b) {
        List<Record> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The records of one query; none when the name or the type does not exist (NXDOMAIN, NODATA). */
    private java.util.concurrent.CompletionStage<List<Record>> query(Name name, int type) {
        return session.lookupAsync(name, type).handle((LookupResult result, Throwable error) -> {
            if (error == null) {
                return result.getRecords();
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) {
                return List.of();
            }
            throw new CompletionException(cause);
        });
    }

    /**
     * RFC 2782: by priority, lowest first; within one priority a weighted random order (a record's chance to come
     * next is its weight over the sum of the remaining weights; weight 0 records get a small chance).
     */
    static List<SRVRecord> order(List<SRVRecord> records, Random random) {
        List<SRVRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(SRVRecord::getPriority));
        List<SRVRecord> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int priority = sorted.get(i).getPriority();
            List<SRVRecord> group = new ArrayList<>();
            while (i < sorted.size() && sorted.get(i).getPriority() == priority) {
                group.add(sorted.get(i++));
            }
            group.sort(Comparator.comparingInt(SRVRecord::getWeight)); // weight 0 first, as RFC 2782 says
            while (!group.isEmpty()) {
                int sum = 0;
                for (SRVRecord r : group) {
                    sum += r.getWeight();
                }
                int pick = random.nextInt(sum + 1);
                int running = 0;
                for (int k = 0; k < group.size(); k++) {
                    running += group.get(k).getWeight();
                    if (running >= pick) {
                        out.add(group.remove(k));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(h); // an address literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "not an address: " + host);
        }
    }
}

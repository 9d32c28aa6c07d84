package org.opendialer.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The gateway's SIP user agent toward one trunk: listens on UDP and TCP, places calls to the trunk and
 * hands INVITEs from it to an {@link InboundCallHandler}. Owns a JAIN-SIP stack; always {@link #stop()} it
 * (its threads are not daemons).
 *
 * <pre>
 * try (SipUserAgent ua = new SipUserAgent(settings, handler)) {
 *     ua.start();
 *     OutboundCall call = ua.placeCall("+14155550100", "Ada", "+14155550199",
 *             AudioSdp.offer(settings.publicAddress(), rtpPort), listener);
 * }
 * </pre>
 */
public final class SipUserAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SipUserAgent.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SipSettings settings;
    private final InboundCallHandler inboundHandler;
    private SipStackImpl stack;
    private SipContext ctx;
    private Registration trunkRegistration;
    /** Resolved addresses of the trunk and of every registrar we registered with: INVITEs from them pass. */
    private final java.util.Set<java.net.InetAddress> trustedPeers =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final RateLimitedLog refusedSources = new RateLimitedLog(java.time.Duration.ofSeconds(10));
    /** Malformed requests come in floods (scanners, fuzzers): one WARNING per 10 s says how many. */
    private final RateLimitedLog badRequests = new RateLimitedLog(java.time.Duration.ofSeconds(10));
    private volatile SipMetrics metrics = SipMetrics.NONE;

    public SipUserAgent(SipSettings settings, InboundCallHandler inboundHandler) {
        this.settings = settings;
        this.inboundHandler = inboundHandler == null ? InboundCallHandler.REJECT_ALL : inboundHandler;
    }

    /** Where received requests and responses are counted. */
    public void setMetrics(SipMetrics metrics) {
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    public SipSettings settings() {
        return settings;
    }

    /** Whether the SIP port is open. */
    public synchronized boolean isStarted() {
        return stack != null;
    }

    /** Binds the SIP port (UDP and TCP) and starts the stack. */
    public synchronized void start() {
        if (stack != null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "opendialer-" + settings.port() + "-" + INSTANCES.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        // One thread: with more, a 180 followed at once by a 200 was delivered out of order (TESTING.md).
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // Robustness against garbage and slow or huge TCP messages on a public port. The RI allocates
        // MAX_MESSAGE_SIZE bytes per datagram and formats the whole buffer into its error log line for every
        // unparseable one: at 64 KiB a flood of junk queued seconds of work and OPTIONS probes were lost
        // (RobustnessTest); 16 KiB is ample for SIP with one SDP body.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "16384");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "1048576");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "512");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("javax.sip.ROUTER_PATH", TrunkRouter.class.getName());
        TrunkOptions options = settings.trunkOptions();
        boolean tls = settings.trunk() != null && settings.trunk().isTls() || options.acceptsTls();
        if (options.acceptsTls()) {
            // Read now, so that a missing or unusable file stops the start with its name, not the first call.
            TrunkTlsNetworkLayer.serverContext(options.tlsCertFile(), options.tlsKeyFile());
        }
        if (tls) {
            p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", TrunkTlsNetworkLayer.class.getName());
            if (settings.trunk() != null) {
                p.setProperty(TrunkTlsNetworkLayer.TRUNK_HOST, settings.trunk().host());
            }
            if (options.tlsCaFile() != null) {
                p.setProperty(TrunkTlsNetworkLayer.CA_FILE, options.tlsCaFile());
            }
            if (options.acceptsTls()) {
                p.setProperty(TrunkTlsNetworkLayer.SERVER_CERT, options.tlsCertFile());
                p.setProperty(TrunkTlsNetworkLayer.SERVER_KEY, options.tlsKeyFile());
            }
            p.setProperty(TrunkTlsNetworkLayer.MAX_INBOUND, String.valueOf(options.tlsMaxConnections()));
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
            // No client certificate is asked for; requests are trusted by source address (decision 0023).
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            // A peer that accepts TCP but never completes the handshake is dropped instead of hanging a send;
            // an inbound connection that does not complete one is closed (InboundTlsSocket).
            p.setProperty(TrunkTlsNetworkLayer.HANDSHAKE_TIMEOUT, "10000");
        }
        try {
            SipStackImpl s = new SipStackImpl(p);
            try {
                ListeningPoint udp = s.createListeningPoint(settings.listenAddress(), settings.port(), "udp");
                ListeningPoint tcp = s.createListeningPoint(settings.listenAddress(), settings.port(), "tcp");
                SipProvider provider = s.createSipProvider(udp);
                provider.addListeningPoint(tcp);
                if (tls) {
                    provider.addListeningPoint(s.createListeningPoint(settings.listenAddress(),
                            settings.trunkOptions().tlsPort(), "tls"));
                }
                ctx = new SipContext(settings, provider, new AddressFactoryImpl(), new HeaderFactoryImpl(),
                        new MessageFactoryImpl());
                locateTrunk((TrunkRouter) s.getRouter());
                provider.addSipListener(new StackListener());
                s.start();
                stack = s;
            } catch (Exception e) {
                s.stop();
                if (ctx != null) {
                    ctx.shutdown();
                    ctx = null;
                }
                throw e;
            }
        } catch (Exception e) {
            throw new SipAgentException(SipAgentException.Reason.TRANSPORT,
                    "cannot listen on " + settings.listenAddress() + ":" + settings.port(), e);
        }
        awaitStackAnswers();
        if (ctx.trunkLocator != null) {
            // Trusted as they are found: now, and after each TTL (a failure is logged where a call meets it).
            ctx.trunkLocator.locate().exceptionally(e -> {
                LOG.log(System.Logger.Level.WARNING, (e.getCause() != null ? e.getCause() : e).getMessage()
                        + ": calls to the trunk fail and INVITEs from it get 403 until it does");
                return null;
            });
        }
        registerTrunk();
        LOG.log(System.Logger.Level.INFO, "SIP listening on {0}:{1} (udp, tcp{3}), trunk {2}",
                settings.listenAddress(), String.valueOf(settings.port()),
                settings.trunk() == null ? "none" : settings.trunk(),
                tls ? "; tls " + settings.trunkOptions().tlsPort() : "");
    }

    /**
     * Returns once the stack answers an OPTIONS on its UDP port. The RI's UDP processor creates its channel
     * list on its own thread after start(); a stop() before that threw a NullPointerException and left the
     * stack half-stopped (seen in OutboundCallTest).
     */
    private void awaitStackAnswers() {
        String host = settings.listenAddress().equals("0.0.0.0") || settings.listenAddress().startsWith("::")
                || settings.listenAddress().equals("[::]") ? "127.0.0.1" : settings.listenAddress();
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket()) {
            probe.setSoTimeout(100);
            java.net.InetAddress target = java.net.InetAddress.getByName(host);
            String branch = "z9hG4bK-ready-" + System.nanoTime();
            byte[] options = ("OPTIONS sip:" + host + ":" + settings.port() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + host + ":" + probe.getLocalPort() + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:ready@" + host + ">;tag=ready\r\nTo: <sip:" + host + ">\r\n"
                    + "Call-ID: " + branch + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] buffer = new byte[4096];
            for (int attempt = 0; attempt < 30; attempt++) {
                probe.send(new java.net.DatagramPacket(options, options.length, target, settings.port()));
                try {
                    probe.receive(new java.net.DatagramPacket(buffer, buffer.length));
                    return;
                } catch (java.net.SocketTimeoutException e) {
                    // not up yet: the RI answers the retransmission
                }
            }
            LOG.log(System.Logger.Level.WARNING, "SIP stack did not answer its own OPTIONS within 3 s");
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "SIP readiness probe failed: " + e);
        }
    }

    /**
     * How the trunk's host name is located and when one of its servers is given up (DIALER_SIP_DNS_SERVER,
     * DIALER_SIP_FAILOVER_MS); before {@link #start()}.
     */
    public void setTrunkDns(TrunkDns dns) {
        trunkDns = java.util.Objects.requireNonNull(dns, "dns");
    }

    private volatile TrunkDns trunkDns = TrunkDns.SYSTEM;

    private void locateTrunk(TrunkRouter router) {
        if (settings.trunk() == null) {
            return;
        }
        TrunkLocator locator = new TrunkLocator(settings.trunk(), trunkDns);
        locator.onAnswer(targets -> targets.forEach(t -> trustedPeers.add(t.address())));
        java.util.List<TrunkLocator.Target> literal = locator.cachedTargets();
        if (literal != null) {
            literal.forEach(t -> trustedPeers.add(t.address()));
        }
        router.use(locator);
        ctx.trunkRouter = router;
        ctx.failoverTimeout = trunkDns.failoverTimeout();
        ctx.trunkLocator = locator;
    }

    /** Adds the addresses {@code host} resolves to (now) to the sources INVITEs are accepted from. */
    private void trust(String host) {
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                trustedPeers.add(a);
            }
        } catch (java.net.UnknownHostException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot resolve " + host + ": INVITEs from it will get 403");
        }
    }

    /**
     * With DIALER_SIP_REGISTER on: keeps the gateway registered with the trunk under DIALER_SIP_USERNAME, exactly
     * as a PBX-mode account (refresh, backoff, Expires: 0 at stop). The Contact's user is the username, so the
     * carrier's INVITEs to it route by their To number like any trunk call.
     */
    private void registerTrunk() {
        SipSettings.Trunk trunk = settings.trunk();
        if (!settings.trunkOptions().registerTrunk() || trunk == null || !settings.hasCredentials()) {
            return;
        }
        PbxAccount account = new PbxAccount(trunk, settings.username(), null, settings.password(),
                settings.username());
        trunkRegistration = register(account, r -> {
            if (r.state() == RegistrationState.FAILED) {
                LOG.log(System.Logger.Level.WARNING, "trunk registration failed: {0}", r.failure());
            }
        });
    }

    /** The registration with the trunk (DIALER_SIP_REGISTER on), or null. */
    public synchronized Registration trunkRegistration() {
        return trunkRegistration;
    }

    /**
     * Starts keeping {@code account} registered (REGISTER now, refreshes, retries). The registrar's
     * addresses are accepted as INVITE sources from now on. {@code listener} sees every state change.
     *
     * @throws SipAgentException INVALID_STATE when the agent is not started
     */
    public Registration register(PbxAccount account, java.util.function.Consumer<Registration> listener) {
        SipContext c = context();
        trust(account.registrar().host());
        Registration r = new Registration(c, account, listener);
        r.start();
        return r;
    }

    /** Hangs up every call (CANCEL or BYE, sent once), un-registers every account, then stops the stack. */
    public synchronized void stop() {
        if (stack == null) {
            return;
        }
        try {
            java.util.List<java.util.concurrent.CompletableFuture<Void>> unregistered = new java.util.ArrayList<>();
            for (Registration r : java.util.List.copyOf(ctx.registrations.values())) {
                unregistered.add(r.stop());
            }
            try {
                java.util.concurrent.CompletableFuture.allOf(unregistered.toArray(new java.util.concurrent.CompletableFuture[0]))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.INFO, "un-REGISTER at stop not confirmed: " + e);
            }
            for (SipCall call : ctx.calls.values()) {
                try {
                    call.hangUp();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "hang-up at stop failed: " + e);
                }
            }
            stack.stop();
        } finally {
            ctx.shutdown();
            stack = null;
            trunkRegistration = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Places a call through the trunk.
     *
     * @param fromNumber  the caller ID (E.164 or extension), or null for an anonymous call
     * @param displayName the From display name, or null
     * @param toNumber    the E.164 number to call
     * @param offer       our SDP offer, e.g. {@link AudioSdp#offer(String, int)} with a port from an
     *                    {@link RtpPortAllocator}
     * @throws SipAgentException INVALID_SETTINGS without a trunk, INVALID_STATE when not started
     */
    public OutboundCall placeCall(String fromNumber, String displayName, String toNumber, AudioSdp offer,
                                  CallListener listener) {
        return placeCall(fromNumber, displayName, toNumber, offer, null, listener);
    }

    /**
     * As {@link #placeCall(String, String, String, AudioSdp, CallListener)}; with {@code replaces} (not null) the
     * INVITE carries it as a Replaces header and {@code Require: replaces} (a followed attended transfer).
     */
    public OutboundCall placeCall(String fromNumber, String displayName, String toNumber, AudioSdp offer,
                                  ReplacedDialog replaces, CallListener listener) {
        return OutboundCall.place(context(), fromNumber, displayName, toNumber, offer, replaces, listener)
                .redirects(maxRedirects);
    }

    /** How many 3xx answers to one INVITE are followed (RFC 3261 8.1.3.4); 0 ends the call at the first. */
    public void setMaxRedirects(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max redirects < 0: " + max);
        }
        maxRedirects = max;
    }

    private volatile int maxRedirects = 3;

    /**
     * Places a call through a PBX account: Request-URI {@code sip:to@registrar}, From the account's address
     * of record, digest with its credentials, Contact with its contact user.
     */
    public OutboundCall placeCallVia(PbxAccount account, String displayName, String to, AudioSdp offer,
                                  CallListener listener) {
        return placeCallVia(account, displayName, to, offer, null, listener);
    }

    /** As {@link #placeCallVia(PbxAccount, String, String, AudioSdp, CallListener)}, replacing {@code replaces}. */
    public OutboundCall placeCallVia(PbxAccount account, String displayName, String to, AudioSdp offer,
                                     ReplacedDialog replaces, CallListener listener) {
        return OutboundCall.placeVia(context(), account, displayName, to, offer, replaces, listener)
                .redirects(maxRedirects);
    }

    private synchronized SipContext context() {
        if (ctx == null) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "agent not started");
        }
        return ctx;
    }

    /** Our offer for RTP on {@code rtpPort}, at the advertised address (DIALER_PUBLIC_ADDRESS). */
    public AudioSdp localOffer(int rtpPort) {
        AudioSdp offer = AudioSdp.offer(settings.publicAddress(), rtpPort);
        return settings.trunkOptions().srtp().offersSrtp() ? offer.withSrtp(SdesCrypto.fresh(1)) : offer;
    }

    /**
     * Our answer to {@code offer} for RTP on {@code rtpPort}, at the advertised address.
     *
     * @throws SipAgentException NO_COMMON_CODEC when the offer has neither PCMU nor PCMA
     */
    public AudioSdp localAnswer(AudioSdp offer, int rtpPort) {
        AudioSdp answer = offer.answer(settings.publicAddress(), rtpPort);
        // RFC 4568 5.1.2: our own key, under the tag of the offer's attribute we accept.
        return offer.secure() && offer.crypto() != null ? answer.withSrtp(SdesCrypto.fresh(offer.crypto().tag()))
                : answer;
    }

    /** Calls not yet terminated. */
    public int activeCalls() {
        SipContext c = ctx;
        return c == null ? 0 : c.calls.size();
    }

    private final class StackListener implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
            metrics.requestReceived(event.getRequest().getMethod());
            try {
                route(event);
            } catch (TransactionAlreadyExistsException e) {
                LOG.log(System.Logger.Level.DEBUG, "retransmission absorbed");
            } catch (TransactionUnavailableException e) {
                // Parsed, but no transaction can be made of it (e.g. no Max-Forwards): say so statelessly.
                badRequests.warn(LOG, "request refused with 400: " + printable(e.getMessage()));
                answerStatelessly(event.getRequest(), e.getMessage());
            } catch (Exception e) {
                badRequests.warn(LOG, "request not handled: " + printable(String.valueOf(e)));
            }
        }

        /** {@code text} with control and format characters masked, so a sender cannot forge log lines. */
        private static String printable(String text) {
            return text.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
        }

        /** A 400 without a transaction, when the request has what a response needs; never for an ACK. */
        private void answerStatelessly(Request request, String why) {
            if (request.getMethod().equals(Request.ACK)) {
                return;
            }
            try {
                Response response = ctx.messages.createResponse(Response.BAD_REQUEST, request);
                // Only the header name from the stack's message, nothing the sender wrote.
                response.setReasonPhrase("Bad Request (" + String.valueOf(why).replaceAll("[^A-Za-z0-9 :-]", "")
                        .trim() + ")");
                ctx.provider.sendResponse(response);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "no 400 for an unusable request: " + e);
            }
        }

        private void route(RequestEvent event) throws Exception {
            Request request = event.getRequest();
            String method = request.getMethod();
            String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
            SipCall call = ctx.calls.get(callId);
            if (method.equals(Request.ACK) && call != null && !trusted(sourceOf(request), call)) {
                return; // an ACK from a stranger confirms nothing
            }
            if (method.equals(Request.ACK)) {
                if (call != null) {
                    call.onAck(event);
                }
                return;
            }
            String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
            if (refusedStatelessly(event, method, toTag, call)) {
                return;
            }
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null) {
                tx = ctx.provider.getNewServerTransaction(request);
            }
            switch (method) {
                case Request.INVITE -> {
                    if (toTag == null) {
                        onNewInvite(event, tx);
                    } else if (call != null) {
                        call.onInDialogRequest(event, tx);
                    } else {
                        respond(tx, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    }
                }
                case Request.CANCEL -> {
                    if (call instanceof InboundCall inbound) {
                        inbound.onCancel(event, tx);
                    } else {
                        respond(tx, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    }
                }
                case Request.OPTIONS -> {
                    if (toTag != null && call != null) {
                        call.onInDialogRequest(event, tx);
                    } else {
                        Response ok = ctx.messages.createResponse(Response.OK, request);
                        ctx.addAllow(ok);
                        ok.addHeader(ctx.headers.createAcceptHeader("application", "sdp"));
                        ok.addHeader(ctx.headers.createHeader("User-Agent", SipContext.USER_AGENT));
                        tx.sendResponse(ok);
                    }
                }
                default -> {
                    if (toTag != null && call != null) {
                        call.onInDialogRequest(event, tx);
                    } else if (toTag != null || method.equals(Request.BYE)) {
                        respond(tx, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    } else {
                        Response r = ctx.messages.createResponse(Response.METHOD_NOT_ALLOWED, request);
                        ctx.addAllow(r);
                        tx.sendResponse(r);
                    }
                }
            }
        }

        private static java.net.InetAddress sourceOf(Request request) {
            return ((gov.nist.javax.sip.message.SIPMessage) request).getRemoteAddress();
        }

        /** The trunk, a registrar we registered with, DIALER_SIP_ALLOWED_SOURCES, or (with a call) that call's peer. */
        private boolean trusted(java.net.InetAddress source, SipCall call) {
            return source != null && (trustedPeers.contains(source) || settings.allowedSources().allows(source)
                    || call != null && call.isPeer(source));
        }

        /**
         * A new INVITE from an untrusted source, or any request of an existing call or dialog from a
         * host that is not its peer, gets one 403 outside any transaction: an INVITE server
         * transaction would retransmit a final response until ACKed (RFC 3261 17.2.1), ten more
         * datagrams for one, which makes the gateway an amplifier. Each retransmitted request gets
         * one answer, no more. Out-of-dialog requests other than INVITE (OPTIONS pings) pass.
         */
        private boolean refusedStatelessly(RequestEvent event, String method, String toTag, SipCall call) {
            Request request = event.getRequest();
            boolean inDialog = toTag != null || call != null;
            boolean newInvite = !inDialog && method.equals(Request.INVITE);
            if (!inDialog && !newInvite) {
                return false;
            }
            java.net.InetAddress source = sourceOf(request);
            if (trusted(source, call)) {
                return false;
            }
            String from = source == null ? "an unknown address" : source.getHostAddress();
            refusedSources.warn(LOG, newInvite
                    ? "INVITE from " + from + " refused with 403: not the trunk, a registrar or in DIALER_SIP_ALLOWED_SOURCES"
                    : "in-dialog " + method + " from " + from + " refused with 403: not the call's peer, the trunk or a registrar");
            try {
                if (event.getServerTransaction() != null) {
                    // The stack made one for a request matching a dialog: end it, or it answers 100 and keeps state.
                    event.getServerTransaction().terminate();
                }
                Response r = ctx.messages.createResponse(Response.FORBIDDEN, request);
                ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
                if (to.getTag() == null) {
                    to.setTag("od" + Integer.toHexString(((CallIdHeader) request.getHeader(CallIdHeader.NAME))
                            .getCallId().hashCode()));
                }
                ctx.provider.sendResponse(r);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.INFO, "no 403 for a refused request: " + e);
            }
            return true;
        }

        private void onNewInvite(RequestEvent event, ServerTransaction tx) throws Exception {
            Request request = event.getRequest();
            AudioSdp offer;
            try {
                offer = SipCall.sdpOf(request);
            } catch (SipAgentException e) {
                respond(tx, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            if (offer != null && offer.firstCommonCodec().isEmpty()) {
                respond(tx, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            SrtpMode srtp = settings.trunkOptions().srtp();
            if (offer != null && !srtp.acceptsOffer(offer)) {
                LOG.log(System.Logger.Level.INFO, "INVITE refused with 488: " + srtp.refusal(offer));
                Response r = ctx.messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request);
                r.setReasonPhrase("Not Acceptable Here (" + srtp.refusal(offer) + ")");
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("od" + Integer.toHexString(r.hashCode()));
                tx.sendResponse(r);
                return;
            }
            int sessionExpires = SessionTimer.sessionExpires(request);
            if (sessionExpires >= 0 && sessionExpires < settings.trunkOptions().minSeS()) {
                Response tooSmall = ctx.messages.createResponse(422, request);
                tooSmall.setReasonPhrase("Session Interval Too Small");
                SessionTimer.addMinSe(ctx, tooSmall);
                ((ToHeader) tooSmall.getHeader(ToHeader.NAME)).setTag("od" + Integer.toHexString(tooSmall.hashCode()));
                tx.sendResponse(tooSmall);
                return;
            }
            String transport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().toLowerCase();
            InboundCall call = new InboundCall(ctx, tx, CallerIdentity.of(request), offer,
                    transport.equals("tcp") || transport.equals("tls") ? transport : "udp");
            call.notePeer(request);
            if (ctx.calls.putIfAbsent(call.callId(), call) != null) {
                respond(tx, Response.LOOP_DETECTED); // same Call-ID, new transaction: a merged request
                return;
            }
            call.startRinging();
            ctx.emit(() -> {
                try {
                    call.setListener(inboundHandler.onInvite(call));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "inbound call handler threw", e);
                    call.reject(Response.SERVER_INTERNAL_ERROR);
                }
            });
        }

        private void respond(ServerTransaction tx, int status) throws Exception {
            Response r = ctx.messages.createResponse(status, tx.getRequest());
            if (status >= 300 && ((ToHeader) r.getHeader(ToHeader.NAME)).getTag() == null) {
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("od" + Integer.toHexString(r.hashCode()));
            }
            tx.sendResponse(r);
        }

        @Override
        public void processResponse(ResponseEvent event) {
            Response response = event.getResponse();
            CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            metrics.responseReceived(cseq == null ? "" : cseq.getMethod(), response.getStatusCode());
            try {
                String callId = ((CallIdHeader) event.getResponse().getHeader(CallIdHeader.NAME)).getCallId();
                Registration registration = ctx.registrations.get(callId);
                if (registration != null) {
                    registration.onResponse(event);
                    return;
                }
                SipCall call = ctx.calls.get(callId);
                if (call != null && event.getClientTransaction() != null) {
                    call.notePeer(event.getResponse()); // matched our request's branch: from where we sent it
                }
                String method = ((javax.sip.header.CSeqHeader) event.getResponse()
                        .getHeader(javax.sip.header.CSeqHeader.NAME)).getMethod();
                if (call != null && Request.REFER.equals(method)) {
                    call.referrals.onReferResponse(event);
                } else if (call != null && Request.NOTIFY.equals(method)) {
                    return; // a NOTIFY failing tells us nothing we act on: the referral's outcome was sent
                } else if (call != null && Request.UPDATE.equals(method)) {
                    call.onUpdateResponse(event);
                } else if (call instanceof OutboundCall outbound) {
                    outbound.onResponse(event);
                } else if (call != null) {
                    call.onReInviteResponse(event);
                } else {
                    endStrayAnswer(event);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "response not handled", e);
            }
        }

        /** A 2xx to an INVITE of a call we already forgot (e.g. given up after CANCEL): ACK, then BYE. */
        private void endStrayAnswer(ResponseEvent event) {
            Response response = event.getResponse();
            javax.sip.Dialog dialog = event.getDialog();
            javax.sip.header.CSeqHeader cseq =
                    (javax.sip.header.CSeqHeader) response.getHeader(javax.sip.header.CSeqHeader.NAME);
            if (dialog == null || response.getStatusCode() / 100 != 2 || !Request.INVITE.equals(cseq.getMethod())) {
                return;
            }
            LateAck.send(ctx, event); // also when the dialog has ended (a re-INVITE's 2xx that crossed our BYE)
            try {
                if (dialog.getState() != javax.sip.DialogState.TERMINATED) {
                    Request bye = dialog.createRequest(Request.BYE);
                    dialog.sendRequest(ctx.provider.getNewClientTransaction(bye));
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "stray 2xx not ended: " + e);
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            if (event.isServerTransaction()) {
                return;
            }
            ClientTransaction tx = event.getClientTransaction();
            String callId = ((CallIdHeader) tx.getRequest().getHeader(CallIdHeader.NAME)).getCallId();
            Registration registration = ctx.registrations.get(callId);
            if (registration != null) {
                registration.onTimeout(tx);
                return;
            }
            SipCall call = ctx.calls.get(callId);
            if (call != null && Request.REFER.equals(tx.getRequest().getMethod())) {
                call.referrals.onReferTimeout(tx);
            } else if (call != null && Request.UPDATE.equals(tx.getRequest().getMethod())) {
                synchronized (call) {
                    call.sessionTimer.refreshTimedOut();
                }
            } else if (call != null) {
                call.onTimeout(tx);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            LOG.log(System.Logger.Level.INFO, "SIP transport error toward {0}:{1}/{2}", event.getHost(),
                    event.getPort(), event.getTransport());
            for (Registration r : ctx.registrations.values()) {
                SipSettings.Trunk registrar = r.account().registrar();
                if (event.getPort() == registrar.port() && registrar.transport().equalsIgnoreCase(event.getTransport())) {
                    r.onTransportError();
                }
            }
            ctx.calls.values().forEach(c -> {
                if (c instanceof OutboundCall outbound && outbound.sendsTo(event.getHost(), event.getPort(),
                        event.getTransport())) {
                    outbound.onTransportError();
                }
            });
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        /** Normally after a BYE; for a call still up it means the far end never ACKed our 2xx. */
        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            SipCall call = ctx.calls.get(event.getDialog().getCallId().getCallId());
            if (call != null && call.dialog == event.getDialog()) {
                call.onDialogTerminated();
            }
        }
    }
}

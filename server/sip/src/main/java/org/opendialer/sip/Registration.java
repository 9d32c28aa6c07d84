package org.opendialer.sip;

import java.util.ListIterator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Keeps one {@link PbxAccount} registered (RFC 3261 10.2): REGISTER with our Contact, digest answers to
 * 401/407, a refresh before the granted expiry, retries with exponential backoff after a failure, and
 * Expires: 0 on {@link #stop()}. One Call-ID and From tag for its whole life, CSeq counting up (10.2).
 * Methods may be called from any thread; the listener runs on the agent's event thread.
 */
public final class Registration {
    private static final System.Logger LOG = System.getLogger(Registration.class.getName());
    /** What we ask for; the registrar may grant less (its Expires wins). */
    static final int REQUESTED_EXPIRES_S = 600;
    private static final int MIN_BACKOFF_S = 5;
    private static final int MAX_BACKOFF_S = 300;
    /** How long stop() waits for the registrar's answer to Expires: 0. */
    private static final long UNREGISTER_WAIT_MS = 4000;

    private final SipContext ctx;
    private final PbxAccount account;
    private final Consumer<Registration> listener;
    private final String callId;
    private final String fromTag = UUID.randomUUID().toString().substring(0, 8);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private long cseq;
    private RegistrationState state = RegistrationState.REGISTERING;
    private String failure;
    private int failures;
    private int grantedExpires;
    private int registerCount;
    private boolean everRegistered;
    private ClientTransaction pending;
    private ScheduledFuture<?> timer;
    /** The last digest challenge, answered again (next nonce count) on each refresh until it goes stale. */
    private DigestAuthenticator.Challenge challenge;
    private boolean proxyChallenge;
    private int nonceCount;
    private String nonceSent;
    private int challengesInARow;
    /** The last REGISTER answered a challenge just received (not a refresh reusing an older nonce). */
    private boolean freshCredentials;

    Registration(SipContext ctx, PbxAccount account, Consumer<Registration> listener) {
        this.ctx = ctx;
        this.account = account;
        this.listener = listener;
        this.callId = ctx.provider.getNewCallId().getCallId();
    }

    public PbxAccount account() {
        return account;
    }

    public synchronized RegistrationState state() {
        return state;
    }

    /** Why the last REGISTER failed (status and reason, or "no response"), or null. */
    public synchronized String failure() {
        return failure;
    }

    /** The expiry the registrar granted last, in seconds (0 before the first success). */
    public synchronized int grantedExpires() {
        return grantedExpires;
    }

    /** How many REGISTERs were accepted (the first one and every refresh). */
    public synchronized int acceptedCount() {
        return registerCount;
    }

    String callId() {
        return callId;
    }

    synchronized void start() {
        send(REQUESTED_EXPIRES_S);
    }

    /**
     * Un-registers (Expires: 0) when a binding may exist, then stops. Completes when the registrar answered,
     * or after a few seconds without an answer.
     */
    public CompletableFuture<Void> stop() {
        synchronized (this) {
            if (state == RegistrationState.STOPPED || state == RegistrationState.UNREGISTERING) {
                return stopped;
            }
            cancelTimer();
            if (everRegistered || state == RegistrationState.REGISTERING) {
                moveTo(RegistrationState.UNREGISTERING, null);
                send(0);
                timer = ctx.schedule(this::finishStop, UNREGISTER_WAIT_MS);
            } else {
                finishStop();
            }
        }
        return stopped;
    }

    private synchronized void finishStop() {
        cancelTimer();
        ctx.registrations.remove(callId, this);
        if (state != RegistrationState.STOPPED) {
            moveTo(RegistrationState.STOPPED, failure);
            LOG.log(System.Logger.Level.INFO, "{0}: registration stopped", account.addressOfRecord());
        }
        stopped.complete(null);
    }

    private void send(int expires) {
        try {
            var a = ctx.addresses;
            var h = ctx.headers;
            SipSettings.Trunk r = account.registrar();
            SipURI requestUri = a.createSipURI(null, r.host());
            requestUri.setPort(r.port());
            if (r.transport().equals("tcp") || r.transport().equals("tls")) {
                requestUri.setTransportParam(r.transport());
            }
            var aor = a.createAddress(a.createSipURI(account.username(), r.host()));
            Request request = ctx.messages.createRequest(requestUri, Request.REGISTER, h.createCallIdHeader(callId),
                    h.createCSeqHeader(++cseq, Request.REGISTER), h.createFromHeader(aor, fromTag),
                    h.createToHeader(aor, null), java.util.List.of(ctx.via(r.transport())),
                    h.createMaxForwardsHeader(70));
            ContactHeader contact = ctx.contact(r.transport(), account.contactUser());
            request.addHeader(contact);
            request.addHeader(h.createExpiresHeader(expires));
            request.addHeader(h.createHeader("User-Agent", SipContext.USER_AGENT));
            if (challenge != null) {
                nonceSent = challenge.nonce();
                String credentials = DigestAuthenticator.authorization(challenge, Request.REGISTER,
                        requestUri.toString(), account.digestUsername(), account.password(), ++nonceCount);
                request.addHeader(h.createHeader(
                        proxyChallenge ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME, credentials));
            } else {
                nonceSent = null;
            }
            ClientTransaction tx = ctx.provider.getNewClientTransaction(request);
            tx.setRetransmitTimer(ctx.t1Millis());
            pending = tx;
            ctx.registrations.put(callId, this);
            tx.sendRequest();
        } catch (Exception e) {
            pending = null;
            fail("REGISTER not sent: " + (e instanceof SipException ? e.getMessage() : e.toString()));
        }
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        synchronized (this) {
            if (event.getClientTransaction() != pending) {
                return; // an answer to an earlier REGISTER we no longer wait for
            }
            pending = null;
            boolean unregistering = state == RegistrationState.UNREGISTERING;
            if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
                if (answerChallenge(response)) {
                    send(unregistering ? 0 : REQUESTED_EXPIRES_S);
                    freshCredentials = true;
                    return;
                }
                fail(status + " " + response.getReasonPhrase() + " (credentials rejected: check the username"
                        + " and password)");
                return;
            }
            challengesInARow = 0;
            freshCredentials = false;
            if (status == Response.INTERVAL_TOO_BRIEF && !unregistering) {
                MinExpiresHeader min = (MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME);
                if (min != null && min.getExpires() > 0 && min.getExpires() <= 86400) {
                    sendAfter(0, min.getExpires());
                    return;
                }
            }
            if (unregistering) {
                if (status >= 300) {
                    LOG.log(System.Logger.Level.INFO, "{0}: un-REGISTER answered {1} {2}",
                            account.addressOfRecord(), status, response.getReasonPhrase());
                }
                finishStop();
                return;
            }
            if (status >= 300) {
                fail(status + " " + response.getReasonPhrase());
                return;
            }
            int expires = grantedExpires(response);
            if (expires <= 0) {
                fail("200 OK without our Contact binding");
                return;
            }
            boolean first = state != RegistrationState.REGISTERED;
            grantedExpires = expires;
            registerCount++;
            everRegistered = true;
            failures = 0;
            moveTo(RegistrationState.REGISTERED, null);
            if (first) {
                LOG.log(System.Logger.Level.INFO, "{0}: registered at {1}:{2} for {3} s", account.addressOfRecord(),
                        account.registrar().host(), String.valueOf(account.registrar().port()), expires);
            }
            // Refresh well before expiry (RFC 3261 10.2.4 leaves the margin to us): half of a short
            // expiry, else 30 s early.
            int refreshS = expires <= 60 ? Math.max(1, expires / 2) : expires - 30;
            sendAfter(refreshS * 1000L, REQUESTED_EXPIRES_S);
        }
    }

    /** True when the challenge deserves an answer: a new nonce or a stale one, at most twice in a row. */
    private boolean answerChallenge(Response response) {
        boolean proxy = response.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        WWWAuthenticateHeader h = (WWWAuthenticateHeader) response.getHeader(
                proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        if (h == null || !"Digest".equalsIgnoreCase(h.getScheme())) {
            return false;
        }
        var c = new DigestAuthenticator.Challenge(h.getRealm(), h.getNonce(), h.getOpaque(), h.getAlgorithm(),
                h.getQop());
        // RFC 2617 3.2.1: a new challenge to credentials computed for the previous one, without stale=true,
        // means the username or password is wrong; a challenge to a refresh's reused nonce just asks again.
        boolean stale = "true".equalsIgnoreCase(h.getParameter("stale"));
        boolean rejected = nonceSent != null && !stale && (freshCredentials || nonceSent.equals(c.nonce()));
        if (!DigestAuthenticator.supports(c) || rejected || ++challengesInARow > 2) {
            challenge = null;
            challengesInARow = 0;
            return false;
        }
        challenge = c;
        proxyChallenge = proxy;
        nonceCount = 0;
        return true;
    }

    /** Our binding's expiry: the expires parameter of our Contact, else the Expires header (RFC 3261 10.2.4). */
    private int grantedExpires(Response response) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof SipURI uri && account.contactUser().equals(uri.getUser())) {
                if (c.getExpires() >= 0) {
                    return c.getExpires();
                }
                break;
            }
        }
        ExpiresHeader expires = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        if (expires != null) {
            return expires.getExpires();
        }
        return REQUESTED_EXPIRES_S;
    }

    synchronized void onTimeout(ClientTransaction tx) {
        if (tx == pending) {
            pending = null;
            if (state == RegistrationState.UNREGISTERING) {
                finishStop();
            } else {
                fail("no response from " + account.registrar().host() + ":" + account.registrar().port()
                        + " (transaction timeout)");
            }
        }
    }

    synchronized void onTransportError() {
        if (pending != null) {
            pending = null;
            if (state == RegistrationState.UNREGISTERING) {
                finishStop();
            } else {
                fail("transport error toward " + account.registrar().host() + ":" + account.registrar().port());
            }
        }
    }

    /** Records the failure, logs it once (never the password) and retries with exponential backoff. */
    private void fail(String why) {
        if (state == RegistrationState.UNREGISTERING) {
            finishStop();
            return;
        }
        if (state == RegistrationState.STOPPED) {
            return;
        }
        failures++;
        int backoffS = (int) Math.min(MAX_BACKOFF_S, (long) MIN_BACKOFF_S << Math.min(failures - 1, 10));
        LOG.log(System.Logger.Level.WARNING, "{0}: REGISTER to {1}:{2} failed: {3}; retrying in {4} s",
                account.addressOfRecord(), account.registrar().host(), String.valueOf(account.registrar().port()),
                why, backoffS);
        moveTo(RegistrationState.FAILED, why);
        sendAfter(backoffS * 1000L, REQUESTED_EXPIRES_S);
    }

    private void sendAfter(long millis, int expires) {
        cancelTimer();
        timer = ctx.schedule(() -> {
            synchronized (Registration.this) {
                if (state == RegistrationState.REGISTERED || state == RegistrationState.FAILED
                        || state == RegistrationState.REGISTERING) {
                    if (state == RegistrationState.FAILED) {
                        moveTo(RegistrationState.REGISTERING, failure);
                    }
                    send(expires);
                }
            }
        }, millis);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void moveTo(RegistrationState next, String why) {
        boolean changed = state != next;
        state = next;
        failure = why;
        if (changed && listener != null) {
            ctx.emit(() -> listener.accept(this));
        }
    }

    @Override
    public String toString() {
        return "Registration[" + account + ", " + state() + "]";
    }
}

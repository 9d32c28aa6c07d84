package org.opendialer.sip;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;

/** What the calls of one agent share: the provider, factories, timers, the event thread, the call table. */
final class SipContext {
    static final java.util.List<String> ALLOW = java.util.List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "INFO", "UPDATE", "REFER", "NOTIFY");
    static final String USER_AGENT = "opendialer";
    private static final System.Logger LOG = System.getLogger(SipContext.class.getName());

    final SipSettings settings;
    final SipProvider provider;
    final AddressFactory addresses;
    final HeaderFactory headers;
    final MessageFactory messages;
    final Map<String, SipCall> calls = new ConcurrentHashMap<>();
    /** Registrations by their Call-ID (one per registration, RFC 3261 10.2). */
    final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    /** Where calls to the trunk go (RFC 3263); null without a trunk. Set once at start. */
    volatile TrunkLocator trunkLocator;
    volatile TrunkRouter trunkRouter;
    /** How long an INVITE may go unanswered by one of the trunk's servers before the next is tried. */
    volatile java.time.Duration failoverTimeout = TrunkDns.SYSTEM.failoverTimeout();
    private final ScheduledExecutorService timers;
    private final ExecutorService events;

    SipContext(SipSettings settings, SipProvider provider, AddressFactory addresses, HeaderFactory headers,
               MessageFactory messages) {
        this.settings = settings;
        this.provider = provider;
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("opendialer-sip-timer"));
        this.events = Executors.newSingleThreadExecutor(daemon("opendialer-sip-events"));
    }

    /** Runs listener code on the event thread, so a slow listener can never stall the SIP stack. */
    void emit(Runnable event) {
        try {
            events.execute(() -> {
                try {
                    event.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "call listener threw", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "event after stop dropped");
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return timers.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "SIP timer task failed", e);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    ViaHeader via(String transport) throws ParseException, InvalidArgumentException {
        ViaHeader via = headers.createViaHeader(settings.publicAddress(), port(transport), transport, null);
        via.setRPort(); // RFC 3581: answer to where the request came from, NAT or not
        return via;
    }

    ContactHeader contact(String transport) throws ParseException {
        return contact(transport, null);
    }

    /** Our Contact; {@code user} (a PBX account's contact user) makes INVITEs to it routable to that account. */
    ContactHeader contact(String transport, String user) throws ParseException {
        SipURI uri = addresses.createSipURI(user, settings.publicAddress());
        uri.setPort(port(transport));
        if (transport.equals("tls") && settings.trunk() != null && settings.trunk().sips()) {
            uri.setSecure(true); // RFC 3261 8.1.1.8: a sips: Request-URI wants a sips: Contact
        } else if (transport.equals("tcp") || transport.equals("tls")) {
            uri.setTransportParam(transport);
        }
        Address address = addresses.createAddress(uri);
        return headers.createContactHeader(address);
    }

    /** Our port for {@code transport}: DIALER_SIP_TLS_PORT for TLS, DIALER_SIP_PORT for UDP and TCP. */
    int port(String transport) {
        return transport.equals("tls") ? settings.trunkOptions().tlsPort() : settings.port();
    }

    void addAllow(javax.sip.message.Message message) throws ParseException {
        for (String method : ALLOW) {
            message.addHeader(headers.createAllowHeader(method));
        }
    }

    int t1Millis() {
        return (int) settings.t1().toMillis();
    }

    void shutdown() {
        timers.shutdownNow();
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

package org.opendialer.sip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * The stack's router (javax.sip.ROUTER_PATH): a request whose Request-URI names the trunk's host, and that has no
 * Route, goes to a server the {@link TrunkLocator} found, so the Request-URI keeps the carrier's domain
 * (RFC 3263 4: the lookup decides the next hop, not the URI). An outbound call pins its current server by Call-ID
 * (its INVITE, CANCEL and retries go there; failover pins the next one); other requests (REGISTER) take the first
 * server of the last lookup. Everything else is the RI's {@link DefaultRouter}.
 */
public final class TrunkRouter extends DefaultRouter {
    private volatile TrunkLocator locator;
    private final Map<String, TrunkLocator.Target> pinned = new ConcurrentHashMap<>();

    /** Called by the stack, with its outbound proxy setting (none here). */
    public TrunkRouter(SipStack stack, String defaultRoute) {
        super(stack, defaultRoute);
    }

    void use(TrunkLocator trunkLocator) {
        this.locator = trunkLocator;
    }

    void pin(String callId, TrunkLocator.Target target) {
        pinned.put(callId, target);
    }

    void unpin(String callId) {
        pinned.remove(callId);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        TrunkLocator l = locator;
        if (l == null || request.getHeader(RouteHeader.NAME) != null
                || !(request.getRequestURI() instanceof SipURI uri) || !namesTheTrunk(l.trunk(), uri)) {
            return super.getNextHop(request);
        }
        TrunkLocator.Target target = pinned.get(((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
        if (target == null) {
            target = firstTarget(l);
        }
        return new HopImpl(target.host(), target.port(), target.transport());
    }

    /**
     * The URI we build for the trunk: its host name with no port when located by SRV, or with the trunk's port. An
     * address literal is left to the RI, and so is every other URI, e.g. a far end's Contact on the same host.
     */
    private static boolean namesTheTrunk(SipSettings.Trunk trunk, SipURI uri) {
        if (trunk.isAddressLiteral() || !trunk.host().equalsIgnoreCase(uri.getHost())) {
            return false;
        }
        return trunk.lookup() == SipSettings.Trunk.Lookup.ADDRESS ? uri.getPort() == trunk.port() : uri.getPort() < 0;
    }

    /** For requests that are not a call's (REGISTER, OPTIONS): the first server, looked up now when needed. */
    private static TrunkLocator.Target firstTarget(TrunkLocator l) throws SipException {
        List<TrunkLocator.Target> targets = l.cachedTargets();
        if (targets == null) {
            try {
                targets = l.locate().get(10, TimeUnit.SECONDS); // the locator's own bound ends it sooner
            } catch (Exception e) {
                throw new SipException(e.getCause() != null ? e.getCause().getMessage() : e.toString());
            } 
        }
        return targets.get(0);
    }
}

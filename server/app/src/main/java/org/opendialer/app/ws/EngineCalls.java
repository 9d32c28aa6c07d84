package org.opendialer.app.ws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opendialer.core.accounts.User;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.calls.CallException;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.calls.Dialer;
import org.opendialer.core.numbers.DialTarget;

/** Connects WebSocket connections to the {@link CallEngine}; maps its refusals to wire error codes. */
public final class EngineCalls implements CallStarter {
    private final CallEngine engine;
    private final Map<DialerConnection, ConnectionDialer> dialers = new ConcurrentHashMap<>();

    public EngineCalls(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public int liveCalls() {
        return engine.liveCallCount();
    }

    @Override
    public Placed start(DialerConnection connection, User caller, DialTarget target, String offerSdp) {
        try {
            CallEngine.Placed placed = engine.place(caller, target, dialers.get(connection), offerSdp);
            return new Placed(placed.callId(), placed.answerSdp());
        } catch (CallException e) {
            throw map(e);
        }
    }

    @Override
    public String act(CallAction action, DialerConnection connection, User user, String callId, String offerSdp) {
        ConnectionDialer dialer = dialerOf(connection, user);
        try {
            return switch (action) {
                case HANG_UP -> {
                    engine.hangUp(dialer, callId);
                    yield null;
                }
                case ANSWER -> engine.answer(dialer, callId, offerSdp);
                case REJECT -> {
                    engine.reject(dialer, callId);
                    yield null;
                }
            };
        } catch (CallException e) {
            throw map(e);
        }
    }

    @Override
    public String updateMedia(DialerConnection connection, User user, String callId, String offerSdp,
                              CallEngine.Take take) {
        try {
            return engine.updateMedia(dialerOf(connection, user), callId, offerSdp, take);
        } catch (CallException e) {
            throw map(e);
        }
    }

    @Override
    public void hold(DialerConnection connection, User user, String callId, boolean held) {
        try {
            engine.hold(dialerOf(connection, user), callId, held);
        } catch (CallException e) {
            throw map(e);
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> transfer(DialerConnection connection, User user, String callId,
                                                              DialTarget target) {
        try {
            return engine.transfer(dialerOf(connection, user), user, callId, target).handle((ok, e) -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                if (cause instanceof CallException ce) {
                    throw map(ce);
                }
                if (cause != null) {
                    throw new java.util.concurrent.CompletionException(cause);
                }
                return null;
            });
        } catch (CallException e) {
            throw map(e);
        }
    }

    @Override
    public void transferToCall(DialerConnection connection, User user, String callId, String toCallId) {
        try {
            engine.transferToCall(dialerOf(connection, user), callId, toCallId);
        } catch (CallException e) {
            throw map(e);
        }
    }

    private ConnectionDialer dialerOf(DialerConnection connection, User user) {
        ConnectionDialer dialer = dialers.get(connection);
        if (dialer == null || dialer.userId() != user.id()) {
            throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
        }
        return dialer;
    }

    @Override
    public void signedIn(DialerConnection connection, User user) {
        signedIn(connection, user, Map.of());
    }

    @Override
    public void signedIn(DialerConnection connection, User user, Map<String, Long> knownCalls) {
        ConnectionDialer fresh = new ConnectionDialer(connection, user.id(), connection.device());
        ConnectionDialer previous = dialers.put(connection, fresh);
        if (previous != null) {
            engine.detach(previous);
        }
        engine.attach(fresh, knownCalls);
    }

    @Override
    public void signedOut(DialerConnection connection) {
        ConnectionDialer previous = dialers.remove(connection);
        if (previous != null) {
            engine.detach(previous);
        }
    }

    private static MethodException map(CallException e) {
        ErrorCode code = switch (e.reason()) {
            case OUTGOING_CALL_ALREADY_RINGING -> ErrorCode.OUTGOING_CALL_ALREADY_RINGING;
            case CALL_IN_PROGRESS -> ErrorCode.CALL_IN_PROGRESS;
            case CALLS_UNAVAILABLE -> ErrorCode.CALLS_UNAVAILABLE;
            case INVALID_TARGET -> ErrorCode.INVALID_PHONE_NUMBER;
            case CALL_NOT_FOUND -> ErrorCode.CALL_NOT_FOUND;
            case INVALID_MEDIA -> ErrorCode.BAD_REQUEST;
            case MEDIA_MOVED -> ErrorCode.MEDIA_MOVED;
            case DESTINATION_NOT_ALLOWED -> ErrorCode.DESTINATION_NOT_ALLOWED;
            case CALL_RATE_LIMITED -> ErrorCode.CALL_RATE_LIMITED;
            case TRANSFER_REFUSED, TRANSFER_FAILED -> ErrorCode.TRANSFER_FAILED;
            case NODE_DRAINING -> ErrorCode.NODE_DRAINING;
        };
        return new MethodException(code, e.getMessage());
    }

    /** One signed-in connection as the engine sees it; a new sign-in on the same socket is a new dialer. */
    private record ConnectionDialer(DialerConnection connection, long userId, String device) implements Dialer {
        @Override
        public void deliver(CallView call) {
            connection.sendEvent(Wire.callStateChanged(call));
        }

        @Override
        public void mediaUpdate(String callId, String codec) {
            connection.sendEvent(Wire.mediaUpdate(callId, codec));
        }

        @Override
        public void callProgress(String callId, boolean earlyMedia) {
            connection.sendEvent(Wire.callProgress(callId, earlyMedia));
        }

        @Override
        public void transferFailed(String callId, org.opendialer.core.calls.EndReason reason) {
            connection.sendEvent(Wire.transferFailed(callId, reason.wire()));
        }

        @Override
        public void mediaMoved(String callId) {
            connection.sendEvent(Wire.mediaMoved(callId));
        }

        @Override
        public void sipQuality(String callId, org.opendialer.media.quality.LegQuality quality) {
            connection.sendEvent(QualityWire.sipQuality(callId, quality));
        }

        @Override
        public boolean equals(Object o) {
            return this == o; // identity: two sign-ins of one socket are two dialers
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}

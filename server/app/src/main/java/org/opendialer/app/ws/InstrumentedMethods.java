package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.MDC;

/** Wraps the dialer methods whose outcome or time is a metric: the sign-in methods and placeCall. */
public final class InstrumentedMethods {
    private static final Set<String> SIGN_INS = Set.of("signIn", "signInWithToken", "resume");

    private InstrumentedMethods() {}

    public static Map<String, MethodHandler> wrap(Map<String, MethodHandler> methods, WsMetrics metrics) {
        Map<String, MethodHandler> wrapped = new HashMap<>(methods);
        for (String name : SIGN_INS) {
            MethodHandler inner = methods.get(name);
            if (inner != null) {
                wrapped.put(name, (connection, params) -> {
                    Object result;
                    try {
                        result = inner.handle(connection, params);
                    } catch (RuntimeException e) {
                        metrics.signIn(name, outcome(e));
                        throw e;
                    }
                    if (result instanceof CompletionStage<?> later) { // a password sign-in answers later
                        return later.whenComplete((value, e) -> metrics.signIn(name, e == null ? "ok" : outcome(e)));
                    }
                    metrics.signIn(name, "ok");
                    return result;
                });
            }
        }
        MethodHandler place = methods.get("placeCall");
        if (place != null) {
            wrapped.put("placeCall", (connection, params) -> {
                long start = System.nanoTime();
                Object result = place.handle(connection, params);
                metrics.placeCallHandled(System.nanoTime() - start); // only calls that were placed
                return result;
            });
        }
        wrapped.replaceAll((name, handler) -> withLogContext(handler));
        return Map.copyOf(wrapped);
    }

    private static String outcome(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof MethodException m ? m.code().wire() : ErrorCode.INTERNAL_ERROR.wire();
    }

    /** The signed-in user and the request's call id in the log context (MDC) while the method runs. */
    private static MethodHandler withLogContext(MethodHandler handler) {
        return (connection, params) -> {
            connection.session().ifPresent(s -> MDC.put("user", s.user().username()));
            JsonNode callId = params == null ? null : params.get("call_id");
            if (callId != null && callId.isTextual() && callId.textValue().matches("[A-Za-z0-9_-]{1,64}")) {
                MDC.put("call_id", callId.textValue());
            }
            try {
                return handler.handle(connection, params);
            } finally {
                MDC.remove("user");
                MDC.remove("call_id");
            }
        };
    }
}

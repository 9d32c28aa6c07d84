package org.opendialer.app.ws;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
                    String outcome = ErrorCode.INTERNAL_ERROR.wire();
                    try {
                        Object result = inner.handle(connection, params);
                        outcome = "ok";
                        return result;
                    } catch (MethodException e) {
                        outcome = e.code().wire();
                        throw e;
                    } finally {
                        metrics.signIn(name, outcome);
                    }
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
        return Map.copyOf(wrapped);
    }
}

package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.numbers.NumberValidator;

/** The method table of protocol version 1. */
public final class DialerMethods {
    private DialerMethods() {}

    public static Map<String, MethodHandler> create(AccountService accounts, NumberValidator numbers,
            CallStarter calls, String version) {
        AuthMethods auth = new AuthMethods(accounts, calls);
        CallMethods callMethods = new CallMethods(auth, calls);
        Map<String, MethodHandler> methods = new java.util.HashMap<>();
        methods.put("hello", (connection, params) -> hello(params, version));
        methods.put("placeCall", new PlaceCallMethod(numbers, auth, calls));
        methods.put("signIn", auth::signIn);
        methods.put("signInWithToken", auth::signInWithToken);
        methods.put("resume", auth::resume);
        methods.put("signOut", auth::signOut);
        methods.put("hangUp", callMethods::hangUp);
        methods.put("answer", callMethods::answer);
        methods.put("reject", callMethods::reject);
        methods.put("updateMedia", callMethods::updateMedia);
        methods.put("hold", callMethods::hold);
        return Map.copyOf(methods);
    }

    private static Object hello(com.fasterxml.jackson.databind.node.ObjectNode params, String version) {
        JsonNode protocol = params.get("protocol");
        if (protocol == null || !protocol.isInt() || protocol.intValue() != 1) {
            throw new MethodException(ErrorCode.BAD_REQUEST, "This gateway speaks protocol 1 only.");
        }
        return JsonNodeFactory.instance.objectNode()
                .put("protocol", 1).put("server", "opendialer").put("version", version);
    }
}

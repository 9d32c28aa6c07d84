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
        return Map.of(
                "hello", (connection, params) -> hello(params, version),
                "placeCall", new PlaceCallMethod(numbers, auth, calls),
                "signIn", auth::signIn,
                "signInWithToken", auth::signInWithToken,
                "resume", auth::resume,
                "signOut", auth::signOut,
                "hangUp", callMethods::hangUp,
                "answer", callMethods::answer,
                "reject", callMethods::reject);
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

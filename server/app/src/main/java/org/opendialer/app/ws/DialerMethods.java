package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.numbers.NumberValidator;

/** The method table of protocol version 1. */
public final class DialerMethods {
    static final int DEFAULT_RECENT = 20;
    static final int MAX_RECENT = 100;
    private static final java.util.regex.Pattern DEVICE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private DialerMethods() {}

    public static Map<String, MethodHandler> create(AccountService accounts, NumberValidator numbers,
            CallStarter calls, CallLog callLog, String version) {
        return create(accounts, numbers, calls, callLog, version, null);
    }

    /** As above, with {@code mediaConfig} answered from {@code config} (none when null). */
    public static Map<String, MethodHandler> create(AccountService accounts, NumberValidator numbers,
            CallStarter calls, CallLog callLog, String version, org.opendialer.core.config.GatewayConfig config) {
        AuthMethods auth = new AuthMethods(accounts, calls);
        CallMethods callMethods = new CallMethods(auth, calls);
        Map<String, MethodHandler> methods = new java.util.HashMap<>();
        methods.put("hello", (connection, params) -> hello(connection, params, version));
        PlaceCallMethod placeCall = new PlaceCallMethod(numbers, auth, calls);
        methods.put("placeCall", placeCall);
        methods.put("checkNumber", placeCall::checkNumber);
        methods.put("signIn", auth::signIn);
        methods.put("signInWithToken", auth::signInWithToken);
        methods.put("resume", auth::resume);
        methods.put("signOut", auth::signOut);
        methods.put("hangUp", callMethods::hangUp);
        methods.put("answer", callMethods::answer);
        methods.put("reject", callMethods::reject);
        methods.put("updateMedia", callMethods::updateMedia);
        methods.put("hold", callMethods::hold);
        methods.put("transfer", new TransferMethod(numbers, auth, calls));
        methods.put("recentCalls", (connection, params) -> recentCalls(auth, callLog, connection, params));
        if (config != null) {
            methods.put("mediaConfig", new MediaConfigMethod(auth, config, java.time.Clock.systemUTC()));
        }
        return Map.copyOf(methods);
    }

    /** {@code recentCalls { limit? }}: the signed-in user's calls from the call log, newest first. */
    private static Object recentCalls(AuthMethods auth, CallLog callLog, DialerConnection connection,
                                      com.fasterxml.jackson.databind.node.ObjectNode params) {
        JsonNode limit = params.get("limit");
        if (limit != null && !(limit.isInt() && limit.intValue() >= 1 && limit.intValue() <= MAX_RECENT)) {
            throw new MethodException(ErrorCode.BAD_REQUEST, "params.limit must be a whole number from 1 to "
                    + MAX_RECENT + ".");
        }
        var user = auth.requireSignedIn(connection);
        var result = JsonNodeFactory.instance.objectNode();
        var list = result.putArray("calls");
        for (var call : callLog.recentOf(user.id(), limit == null ? DEFAULT_RECENT : limit.intValue())) {
            list.add(Wire.loggedCall(call));
        }
        return result;
    }

    private static Object hello(DialerConnection connection, com.fasterxml.jackson.databind.node.ObjectNode params,
                                String version) {
        JsonNode protocol = params.get("protocol");
        if (protocol == null || !protocol.isInt() || protocol.intValue() != 1) {
            throw new MethodException(ErrorCode.BAD_REQUEST, "This gateway speaks protocol 1 only.");
        }
        JsonNode device = params.get("device");
        if (device != null) {
            if (!device.isTextual() || !DEVICE.matcher(device.textValue()).matches()) {
                throw new MethodException(ErrorCode.BAD_REQUEST,
                        "params.device must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.");
            }
            connection.device(device.textValue()); // before sign-in: the dialer's calls are bound to it
        }
        return JsonNodeFactory.instance.objectNode()
                .put("protocol", 1).put("server", "opendialer").put("version", version);
    }
}

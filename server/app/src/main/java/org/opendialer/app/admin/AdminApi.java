package org.opendialer.app.admin;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.SipAccount;
import org.opendialer.core.accounts.UserSipAccount;
import org.opendialer.core.calls.PbxStatus;
import org.opendialer.sip.RegistrationState;
import org.opendialer.core.accounts.AccountException;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.SignInToken;
import org.opendialer.core.accounts.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@code /api/v1/} (documented in docs/admin-api.md and openapi.yaml).
 * Every route needs {@code Authorization: Bearer <admin key>}; without a configured key every
 * route answers 404 {@code admin_api_disabled}, so a default install exposes no account management.
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    static final String PREFIX = "/api/v1";
    static final int DEFAULT_CALL_LIMIT = 50;
    static final int DEFAULT_FAILURES_PER_MINUTE = 10;

    private final AccountService accounts;
    private final CallLog calls;
    private final byte[] adminKeyDigest;
    private final PbxStatus pbx;
    private final AdminKeyFailures failures;

    private AdminApi(AccountService accounts, CallLog calls, String adminKey, PbxStatus pbx, int failuresPerMinute) {
        this.accounts = accounts;
        this.failures = new AdminKeyFailures(java.time.Clock.systemUTC(), failuresPerMinute);
        this.calls = calls;
        this.pbx = pbx;
        this.adminKeyDigest = adminKey == null || adminKey.isBlank() ? null : sha256(adminKey);
    }

    /** Declares the routes on a Javalin 7 config (routes are fixed before the server starts). */
    public static void register(JavalinConfig config, AccountService accounts, CallLog calls, String adminKeyOrNull) {
        register(config, accounts, calls, adminKeyOrNull, PbxStatus.NONE);
    }

    /** With PBX mode: users' {@code sip_account} shows whether it is registered; changes re-register it. */
    public static void register(JavalinConfig config, AccountService accounts, CallLog calls, String adminKeyOrNull,
                                PbxStatus pbx) {
        register(config, accounts, calls, adminKeyOrNull, pbx, DEFAULT_FAILURES_PER_MINUTE);
    }

    /**
     * As above, with the number of wrong admin keys per address and minute before 429 (docs/security.md).
     * Returns the routes' guard (key check, its failure limit, error mapping) for admin routes declared elsewhere.
     */
    public static java.util.function.UnaryOperator<Handler> register(JavalinConfig config, AccountService accounts,
            CallLog calls, String adminKeyOrNull, PbxStatus pbx, int failuresPerMinute) {
        AdminApi api = new AdminApi(accounts, calls, adminKeyOrNull, pbx, failuresPerMinute);
        if (api.adminKeyDigest == null) {
            LOG.info("admin API disabled: no admin key configured");
        }
        config.routes.post(PREFIX + "/users", api.guarded(api::createUser));
        config.routes.get(PREFIX + "/users", api.guarded(api::listUsers));
        config.routes.get(PREFIX + "/users/{username}", api.guarded(api::getUser));
        config.routes.patch(PREFIX + "/users/{username}", api.guarded(api::updateUser));
        config.routes.delete(PREFIX + "/users/{username}", api.guarded(api::deleteUser));
        config.routes.post(PREFIX + "/users/{username}/tokens", api.guarded(api::mintToken));
        config.routes.get(PREFIX + "/calls", api.guarded(api::listCalls));
        // Javalin answers HEAD for GET routes by itself, without running their handler (or its key check):
        // explicit HEAD routes go through the same guard, so HEAD without the key is 401 like GET.
        config.routes.head(PREFIX + "/users", api.guarded(api::listUsers));
        config.routes.head(PREFIX + "/users/{username}", api.guarded(api::getUser));
        config.routes.head(PREFIX + "/calls", api.guarded(api::listCalls));
        return api::guarded;
    }

    /** An error a guarded handler (see register) throws: sent as the admin API's {@code {"error", "message"}} body. */
    public static RuntimeException error(int status, String code, String message) {
        return new ApiError(status, code, message);
    }

    private void createUser(Context ctx) {
        ObjectNode json = AdminJson.readObject(RequestBody.read(ctx), AdminJson.CREATE_FIELDS);
        NewUser newUser = AdminJson.readNewUser(json);
        AdminJson.SipAccountField sipField = AdminJson.readSipAccount(json);
        // Validated before the user exists, so a bad sip_account creates nothing.
        SipAccount sip = sipField == null || sipField.remove() ? null : sipField.toAccount(null);
        DestinationPolicyJson.Field policy = DestinationPolicyJson.read(json);
        Boolean withhold = WithholdCallerIdJson.read(json);
        User user = accounts.createUser(newUser);
        try {
            if (sip != null) {
                accounts.setSipAccount(user.username(), sip);
            }
            if (policy != null && policy.value() != null) {
                accounts.destinationOverrides().set(user.id(), policy.value());
            }
            if (Boolean.TRUE.equals(withhold)) {
                accounts.callerIdPrivacy().setWithheld(user.id(), true);
            }
        } catch (RuntimeException e) {
            accounts.deleteUser(user.username());
            throw e;
        }
        AdminJson.send(ctx, 201, userJson(user));
    }

    private void listUsers(Context ctx) {
        Map<Long, SipAccount> sip = new HashMap<>();
        accounts.sipAccounts().forEach(a -> sip.put(a.userId(), a.account()));
        List<ObjectNode> users = accounts.listUsers().stream()
                .map(u -> withPolicy(AdminJson.user(u, sip.get(u.id()), registered(u)), u)).toList();
        AdminJson.send(ctx, 200, AdminJson.users(users));
    }

    private void getUser(Context ctx) {
        String username = ctx.pathParam("username");
        User user = accounts.findUser(username).orElseThrow(() -> notFound(username));
        AdminJson.send(ctx, 200, userJson(user));
    }

    private void updateUser(Context ctx) {
        String username = ctx.pathParam("username");
        ObjectNode json = AdminJson.readObject(RequestBody.read(ctx), AdminJson.UPDATE_FIELDS);
        var update = AdminJson.readUpdate(json);
        AdminJson.SipAccountField sipField = AdminJson.readSipAccount(json);
        DestinationPolicyJson.Field policy = DestinationPolicyJson.read(json);
        Boolean withhold = WithholdCallerIdJson.read(json);
        SipAccount sip = null;
        if (sipField != null && !sipField.remove()) {
            User existing = accounts.findUser(username).orElseThrow(() -> notFound(username));
            sip = sipField.toAccount(accounts.sipAccount(existing.id()).map(UserSipAccount::account).orElse(null));
        }
        User user = accounts.updateUser(username, update);
        if (sipField != null) {
            accounts.setSipAccount(username, sip);
            pbx.accountChanged(user.id());
        }
        if (policy != null) {
            accounts.destinationOverrides().set(user.id(), policy.value());
        }
        if (withhold != null) {
            accounts.callerIdPrivacy().setWithheld(user.id(), withhold);
        }
        AdminJson.send(ctx, 200, userJson(user));
    }

    private ObjectNode userJson(User user) {
        return withPolicy(AdminJson.user(user, accounts.sipAccount(user.id()).map(UserSipAccount::account).orElse(null),
                registered(user)), user);
    }

    private ObjectNode withPolicy(ObjectNode json, User user) {
        DestinationPolicyJson.write(json, accounts.destinationOverrides().find(user.id()).orElse(null));
        json.put(WithholdCallerIdJson.FIELD, accounts.callerIdPrivacy().isWithheld(user.id()));
        return json;
    }

    private boolean registered(User user) {
        return pbx.state(user.id()).filter(s -> s == RegistrationState.REGISTERED).isPresent();
    }

    private void deleteUser(Context ctx) {
        String username = ctx.pathParam("username");
        User user = accounts.findUser(username).orElseThrow(() -> notFound(username));
        if (!accounts.deleteUser(username)) {
            throw notFound(username);
        }
        pbx.accountChanged(user.id()); // stops its registration, if any
        ctx.status(204);
    }

    private void mintToken(Context ctx) {
        SignInToken token = accounts.mintSignInToken(ctx.pathParam("username"));
        ctx.header("Cache-Control", "no-store");
        AdminJson.send(ctx, 201, AdminJson.token(token));
    }

    private void listCalls(Context ctx) {
        int limit = DEFAULT_CALL_LIMIT;
        String raw = ctx.queryParam("limit");
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > CallLog.MAX_LIMIT) {
                throw new ApiError(400, "bad_request", "limit must be an integer from 1 to " + CallLog.MAX_LIMIT);
            }
        }
        AdminJson.send(ctx, 200, AdminJson.calls(calls.recent(limit)));
    }

    /** Authentication first, then the handler; every failure becomes a JSON error body. */
    private Handler guarded(Handler handler) {
        return ctx -> {
            ctx.header("Cache-Control", "no-store");
            try {
                if (adminKeyDigest == null) {
                    throw new ApiError(404, "admin_api_disabled", "the admin API is disabled: no admin key is configured");
                }
                String address = ctx.ip();
                java.time.Duration wait = failures.refusedFor(address);
                if (!wait.isZero()) {
                    long seconds = org.opendialer.core.limits.RateLimiter.seconds(wait);
                    ctx.header("Retry-After", Long.toString(seconds));
                    throw new ApiError(429, "rate_limited",
                            "too many wrong admin keys from your address; try again in " + seconds + " s");
                }
                if (!authorized(ctx.header("Authorization"))) {
                    failures.recordFailure(address);
                    ctx.header("WWW-Authenticate", "Bearer realm=\"opendialer-admin\"");
                    throw new ApiError(401, "unauthorized", "missing or wrong admin key");
                }
                handler.handle(ctx);
            } catch (ApiError e) {
                AdminJson.sendError(ctx, e.status(), e.code(), e.getMessage());
            } catch (AccountException e) {
                AdminJson.sendError(ctx, statusOf(e.reason()), codeOf(e.reason()), e.getMessage());
            }
        };
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Comparing fixed-length digests in constant time hides both the key and its length.
        return MessageDigest.isEqual(sha256(header.substring(7).strip()), adminKeyDigest);
    }

    static int statusOf(AccountException.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> 400;
            case DUPLICATE_USERNAME, DUPLICATE_EXTENSION, DUPLICATE_NUMBER -> 409;
            case NOT_FOUND -> 404;
            case RATE_LIMITED -> 429;
        };
    }

    static String codeOf(AccountException.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> "bad_request";
            case DUPLICATE_USERNAME -> "duplicate_username";
            case DUPLICATE_EXTENSION -> "duplicate_extension";
            case DUPLICATE_NUMBER -> "duplicate_number";
            case NOT_FOUND -> "not_found";
            case RATE_LIMITED -> "rate_limited";
        };
    }

    private static ApiError notFound(String username) {
        return new ApiError(404, "not_found", "no such user: " + username);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

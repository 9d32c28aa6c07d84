package org.opendialer.app.ws;

import org.opendialer.core.logging.LogText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opendialer.core.accounts.AccountException;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Session;
import org.opendialer.core.accounts.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * signIn, signInWithToken, resume and signOut, and the session check before privileged requests. Each
 * change of who is signed in is told to the call engine, which sends that user's calls to the connection.
 */
public final class AuthMethods {
    private static final Logger LOG = LoggerFactory.getLogger(AuthMethods.class);
    static final String WRONG_CREDENTIALS = "Wrong username or password.";
    private static final int MAX_FIELD = 1024;
    static final int MAX_KNOWN_CALLS = 50;

    private final AccountService accounts;
    private final CallStarter calls;

    public AuthMethods(AccountService accounts, CallStarter calls) {
        this.accounts = accounts;
        this.calls = calls;
    }

    /**
     * Answers later: the password is checked on the account service's bounded pool, and the result
     * (or the typed error) completes the returned future there, so no WebSocket thread waits on Argon2.
     * The rate limits are still checked at once, before any hashing.
     */
    public CompletableFuture<Object> signIn(DialerConnection connection, ObjectNode params) {
        String username = Params.requiredString(params, "username", MAX_FIELD);
        String password = Params.requiredString(params, "password", MAX_FIELD);
        CompletableFuture<Optional<Session>> session;
        try {
            session = accounts.signInAsync(username, password, connection.remoteAddress());
        } catch (AccountException e) {
            throw typed(e);
        }
        return session.handle((found, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof AccountException e) {
                    throw typed(e);
                }
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
            if (found.isEmpty()) {
                LOG.info("sign-in refused for username {} from {}", LogText.printable(username), connection.remoteAddress());
                throw new MethodException(ErrorCode.INVALID_CREDENTIALS, WRONG_CREDENTIALS);
            }
            if (connection.closed()) {
                accounts.signOut(found.get().token()); // nobody can use a session whose socket is gone
                throw new MethodException(ErrorCode.AUTHENTICATION_REQUIRED, "The connection closed during sign-in.");
            }
            return accepted(connection, found.get(), "sign-in");
        });
    }

    private static RuntimeException typed(AccountException e) {
        if (e.reason() == AccountException.Reason.RATE_LIMITED) {
            return new MethodException(ErrorCode.RATE_LIMITED, e.getMessage());
        }
        return e;
    }

    public Object signInWithToken(DialerConnection connection, ObjectNode params) {
        String token = Params.requiredString(params, "token", MAX_FIELD);
        Optional<Session> session = accounts.signInWithToken(token, connection.remoteAddress());
        if (session.isEmpty()) {
            LOG.info("token sign-in refused from {}", connection.remoteAddress());
            throw new MethodException(ErrorCode.INVALID_CREDENTIALS, WRONG_CREDENTIALS);
        }
        return accepted(connection, session.get(), "token sign-in");
    }

    public Object resume(DialerConnection connection, ObjectNode params) {
        String token = Params.requiredString(params, "session_token", MAX_FIELD);
        Map<String, Long> known = knownCalls(params);
        Optional<Session> session = accounts.resume(token);
        if (session.isEmpty()) {
            throw new MethodException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "Your session has expired or was revoked. Sign in again.");
        }
        return accepted(connection, session.get(), "resume", known);
    }

    /** {@code resume.calls}: the calls the dialer was showing and the last seq of each (protocol.md part 5). */
    private static Map<String, Long> knownCalls(ObjectNode params) {
        JsonNode calls = params.get("calls");
        if (calls == null || calls.isNull()) {
            return Map.of();
        }
        if (!calls.isArray() || calls.size() > MAX_KNOWN_CALLS) {
            throw new MethodException(ErrorCode.BAD_REQUEST,
                    "params.calls must be an array of at most " + MAX_KNOWN_CALLS + " { call_id, seq }.");
        }
        Map<String, Long> known = new LinkedHashMap<>();
        for (JsonNode entry : calls) {
            JsonNode id = entry.get("call_id");
            JsonNode seq = entry.get("seq");
            if (!entry.isObject() || entry.size() != 2 || id == null || !id.isTextual() || id.textValue().isEmpty()
                    || id.textValue().length() > 64 || seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber()
                    || seq.longValue() < 0) {
                throw new MethodException(ErrorCode.BAD_REQUEST,
                        "Each of params.calls must be { call_id: string (1-64 characters), seq: whole number >= 0 }.");
            }
            known.put(id.textValue(), seq.longValue());
        }
        return known;
    }

    public Object signOut(DialerConnection connection, ObjectNode params) {
        calls.signedOut(connection);
        connection.signedOut().ifPresent(session -> {
            accounts.signOut(session.token());
            LOG.info("sign-out of {}", session.user().username());
        });
        return null;
    }

    /**
     * Re-validates the connection's session (sliding its expiry) and returns its user. A session
     * that ended since sign-in makes the connection anonymous and tells the dialer so.
     */
    public User requireSignedIn(DialerConnection connection) {
        Session current = connection.session().orElseThrow(() ->
                new MethodException(ErrorCode.AUTHENTICATION_REQUIRED, "Sign in to place calls."));
        Optional<Session> renewed = accounts.resume(current.token());
        if (renewed.isEmpty()) {
            calls.signedOut(connection);
            connection.signedOut();
            // The account service cannot tell expiry from revocation apart; expiry is the likelier.
            connection.sendEvent(Wire.sessionEnded("expired"));
            LOG.info("session of {} ended", current.user().username());
            throw new MethodException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "Your session has ended. Sign in to place calls.");
        }
        connection.signedIn(renewed.get());
        return renewed.get().user();
    }

    private ObjectNode accepted(DialerConnection connection, Session session, String how) {
        return accepted(connection, session, how, Map.of());
    }

    private ObjectNode accepted(DialerConnection connection, Session session, String how, Map<String, Long> known) {
        connection.signedIn(session);
        calls.signedIn(connection, session.user(), known);
        if (connection.closed()) {
            calls.signedOut(connection); // closed while signing in (an answer from the pool): the close may have run first
        }
        LOG.info("{} of {} from {}", how, session.user().username(), connection.remoteAddress());
        return Wire.signInResult(session);
    }
}

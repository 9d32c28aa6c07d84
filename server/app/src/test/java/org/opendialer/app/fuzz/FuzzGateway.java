package org.opendialer.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opendialer.app.EngineGateway;
import org.opendialer.app.WsTestClient;
import org.opendialer.core.accounts.NewUser;

/**
 * The real gateway in-process ({@link EngineGateway}) without a SIP trunk, with an admin key and users alice (1001), bob (1002),
 * carol (1003), mallory (1004, the fuzzer's own account) and trent (1009, never connected).
 */
final class FuzzGateway extends EngineGateway {
    static final String PASSWORD = "correct horse battery";
    static final String ADMIN_KEY = "fuzz-admin-key-5b1d0c9e7a2f48d3b6e1";
    static final ObjectMapper JSON = new ObjectMapper();

    FuzzGateway(Path dir) throws Exception {
        super(dir, Map.of("DIALER_ADMIN_KEY", ADMIN_KEY), List.of(
                new NewUser("alice", PASSWORD, "Alice Agent", "1001", "+12015550123"),
                new NewUser("bob", PASSWORD, "Bob Builder", "1002", null),
                new NewUser("carol", PASSWORD, "Carol Cross", "1003", null),
                new NewUser("mallory", PASSWORD, "Mallory Fuzz", "1004", null),
                new NewUser("trent", PASSWORD, "Trent Idle", "1009", null)));
    }

    String baseUrl() {
        return config.publicUrlText();
    }

    WsTestClient connect() {
        return WsTestClient.connect(baseUrl());
    }

    /**
     * Signs a new connection in with a freshly minted sign-in token (not the password: password
     * sign-ins from 127.0.0.1 are rate limited per client address, and the fuzzer fails many).
     */
    WsTestClient signInWithToken(String username) throws Exception {
        WsTestClient ws = connect();
        String token = accounts.mintSignInToken(username).token();
        JsonNode r = ws.request("t0", "signInWithToken", "{\"token\":\"" + token + "\"}");
        if (!r.path("ok").asBoolean()) {
            ws.close();
            throw new AssertionError("token sign-in of " + username + " failed: " + r);
        }
        return ws;
    }

}
